import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Deployment } from '@warden/core';
import { checkParamPath, type PolicyDocument, type PolicySettings, validatePolicy } from '@warden/policy';
import { KNOWN_PROVIDERS } from '@warden/providers';
import { parse as parseYaml } from 'yaml';
import { buildDeployments } from './deployments.ts';
import { resolveEnvRefs } from './env-refs.ts';
import { formatPath } from './format-path.ts';
import { configSchema, KNOWN_KEYS, NOT_APPLIED, type RawConfig } from './schema.ts';

export interface PluginConfig {
  package: string;
  options: unknown;
}

/** The validated config the gateway runs on; nothing here is re-checked per request. */
export interface ResolvedConfig {
  /** Folder of the config file: plugins resolve from here first. */
  dir: string;
  deployments: Deployment[];
  masterKey: string | null;
  databaseUrl: string | null;
  maxRequestBytes: number;
  numRetries: number;
  keyCacheTtlMs: number;
  policySettings: PolicySettings;
  policies: PolicyDocument[];
  plugins: PluginConfig[];
  warnings: string[];
}

/** One message per problem, each naming its path; start-up stops on it. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError([`${path}: not valid YAML: ${(err as Error).message}`]);
  }
  return resolveConfig(doc, dirname(resolve(path)), env);
}

export function resolveConfig(
  doc: unknown,
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedConfig {
  const problems: string[] = [];
  const resolved = resolveEnvRefs(doc, env, problems);
  const parsed = configSchema.safeParse(resolved);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${formatPath(issue.path)}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const config = parsed.data;
  const warnings = unknownKeyWarnings(config);
  for (const path of NOT_APPLIED) {
    const [section, key] = path.split('.') as [keyof RawConfig, string];
    if ((config[section] as Record<string, unknown>)[key] !== undefined) {
      warnings.push(`${path} is accepted but not applied yet`);
    }
  }

  config.model_list.forEach((entry, i) => {
    const params = entry.litellm_params ?? entry.params;
    if (!params) {
      problems.push(`model_list[${i}].litellm_params: required`);
      return;
    }
    const provider = params.model.split('/')[0]!;
    if (!(KNOWN_PROVIDERS as readonly string[]).includes(provider)) {
      problems.push(
        `model_list[${i}].litellm_params.model: unknown provider "${provider}" (known: ${KNOWN_PROVIDERS.join(', ')})`,
      );
    }
    if (provider !== 'mock' && provider !== 'openai' && !params.api_base) {
      problems.push(`model_list[${i}].litellm_params.api_base: required for provider "${provider}"`);
    }
  });

  const general = config.general_settings;
  const lists: Array<[string, string[] | undefined]> = [
    ['general_settings.enforced_params', general.enforced_params],
    [
      'general_settings.service_account_settings.enforced_params',
      general.service_account_settings?.enforced_params,
    ],
  ];
  for (const [path, names] of lists) {
    names?.forEach((name, i) => {
      const problem = checkParamPath(name);
      if (problem) problems.push(`${path}[${i}]: ${problem}`);
    });
  }

  const policies: PolicyDocument[] = [];
  config.policies.forEach((raw, i) => {
    const result = validatePolicy(raw);
    if (result.ok) policies.push(result.policy);
    else
      for (const e of result.errors)
        problems.push(`policies[${i}]${e.path ? `.${e.path}` : ''}: ${e.message}`);
  });

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    dir,
    deployments: buildDeployments(config),
    masterKey: general.master_key ?? null,
    databaseUrl: general.database_url ?? null,
    maxRequestBytes: Math.floor((general.max_request_size_mb ?? 32) * 1024 * 1024),
    numRetries: config.router_settings.num_retries ?? 0,
    keyCacheTtlMs: (general.key_cache_ttl_seconds ?? 60) * 1000,
    policySettings: {
      enforcedParams: general.enforced_params ?? [],
      serviceAccountParams: general.service_account_settings?.enforced_params ?? [],
      enforceUserParam: general.enforce_user_param ?? false,
    },
    policies,
    plugins: config.plugins.map((p) =>
      typeof p === 'string' ? { package: p, options: {} } : { package: p.package, options: p.options ?? {} },
    ),
    warnings,
  };
}

function unknownKeyWarnings(config: RawConfig): string[] {
  const warnings: string[] = [];
  const check = (obj: object, known: readonly string[], path: string) => {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) warnings.push(`${path ? `${path}.` : ''}${key}: unknown setting, ignored`);
    }
  };
  check(config, KNOWN_KEYS['']!, '');
  check(config.general_settings, KNOWN_KEYS.general_settings!, 'general_settings');
  check(config.router_settings, KNOWN_KEYS.router_settings!, 'router_settings');
  config.model_list.forEach((entry, i) => {
    check(entry, KNOWN_KEYS.model_entry!, `model_list[${i}]`);
    const params = entry.litellm_params ?? entry.params;
    if (params) check(params, KNOWN_KEYS.litellm_params!, `model_list[${i}].litellm_params`);
  });
  return warnings;
}
