import { createHash } from 'node:crypto';
import { MOCK_MODELS } from './models.ts';
import { BENCH_POLICY } from './policy.ts';

/** Upstream prices set on every deployment, so budget reservation and cost math run on each request. */
const PRICES = { input_cost_per_token: 0.00000015, output_cost_per_token: 0.0000006 };

/** The service-account key the load is sent with: limits and budget on, far above what a run uses. */
export const KEY_PARAMS = {
  key_alias: 'bench-service-account',
  rpm_limit: 100_000_000,
  tpm_limit: 2_000_000_000, // the keys.tpm_limit column is int4
  max_budget: 1_000_000,
} as const;

export const TEAM_ALIAS = 'bench-team';

/**
 * Warden's config for the run. JSON is valid YAML, so no YAML writer is needed. `MOCK_BASE` and
 * `MOCK_KEY` are replaced with the mock's address and key when written; the hash is taken before that, so runs on
 * different ports share a config hash.
 */
export function configTemplate(): Record<string, unknown> {
  return {
    model_list: Object.values(MOCK_MODELS).map((m) => ({
      model_name: m.name,
      litellm_params: { model: `openai/${m.name}`, api_base: 'MOCK_BASE', api_key: 'MOCK_KEY', ...PRICES },
    })),
    general_settings: {
      // The founding policy: service-account keys must send `user`.
      service_account_settings: { enforced_params: ['user'] },
    },
    policies: [BENCH_POLICY],
  };
}

export function renderConfig(mockBaseUrl: string, mockApiKey: string): string {
  const text = JSON.stringify(configTemplate(), null, 2)
    .replaceAll('"MOCK_BASE"', JSON.stringify(mockBaseUrl))
    .replaceAll('"MOCK_KEY"', JSON.stringify(mockApiKey));
  return `${text}\n`;
}

export interface ChainDescription {
  /** sha256 over everything below (first 16 hex chars). */
  hash: string;
  config: Record<string, unknown>;
  key: typeof KEY_PARAMS & { type: 'service_account'; team_alias: string };
  database: 'pglite' | 'postgres';
  limiter: 'memory' | 'redis';
  spendLogs: string;
}

/** What "the full chain" was in this run, recorded with the results so runs compare like for like. */
export function describeChain(env: NodeJS.ProcessEnv): ChainDescription {
  const body = {
    config: configTemplate(),
    key: { ...KEY_PARAMS, type: 'service_account' as const, team_alias: TEAM_ALIAS },
    database: env.DATABASE_URL ? ('postgres' as const) : ('pglite' as const),
    limiter: env.REDIS_URL ? ('redis' as const) : ('memory' as const),
    spendLogs: env.DATABASE_URL ? 'spend_logs rows in Postgres' : 'spend_logs rows in embedded PGlite',
  };
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
  return { hash, ...body };
}
