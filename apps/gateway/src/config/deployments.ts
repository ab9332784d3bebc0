import type { Deployment } from '@warden/core';
import type { RawConfig } from './schema.ts';

const SECOND = 1000;

/** Turns `model_list` into deployments; `params` is accepted as an alias of `litellm_params`. */
export function buildDeployments(config: RawConfig): Deployment[] {
  const timeout = config.router_settings.timeout ?? 600;
  const streamTimeout = config.router_settings.stream_timeout ?? timeout;
  const counts = new Map<string, number>();
  return config.model_list.map((entry) => {
    const params = (entry.litellm_params ?? entry.params)!;
    const index = counts.get(entry.model_name) ?? 0;
    counts.set(entry.model_name, index + 1);
    const slash = params.model.indexOf('/');
    const modelId = (entry as Record<string, unknown>).model_id;
    return {
      id: typeof modelId === 'string' ? modelId : `${entry.model_name}#${index}`,
      modelName: entry.model_name,
      provider: params.model.slice(0, slash),
      model: params.model.slice(slash + 1),
      apiBase: params.api_base ?? null,
      apiKey: params.api_key ?? null,
      rpm: params.rpm ?? null,
      tpm: params.tpm ?? null,
      timeoutMs: (params.timeout ?? timeout) * SECOND,
      streamTimeoutMs: (params.stream_timeout ?? params.timeout ?? streamTimeout) * SECOND,
      inputCostPerToken: params.input_cost_per_token ?? null,
      outputCostPerToken: params.output_cost_per_token ?? null,
      modelInfo: entry.model_info ?? {},
      publicParams: publicParamsOf(params),
    };
  });
}

/**
 * What /model/info may show of a deployment. An allow-list, not "everything but api_key": LiteLLM
 * configs carry credentials under many names (aws_secret_access_key, vertex_credentials, ...), already
 * resolved from os.environ/ by now, and any key holder can read /model/info.
 */
const PUBLIC_PARAMS = [
  'model',
  'api_base',
  'rpm',
  'tpm',
  'timeout',
  'stream_timeout',
  'input_cost_per_token',
  'output_cost_per_token',
];

function publicParamsOf(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of PUBLIC_PARAMS) if (params[name] !== undefined) out[name] = params[name];
  if (typeof out.api_base === 'string') out.api_base = withoutCredentials(out.api_base);
  return out;
}

/** Drops user:password and the query string (where some proxies take their token) from a URL. */
function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '[invalid url]';
  }
}
