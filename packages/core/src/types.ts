/** The three LLM endpoints the gateway proxies (POST only). */
export type Endpoint = 'chat' | 'completions' | 'embeddings';

export type OwnerType = 'user' | 'service_account' | 'team' | 'admin';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** One streamed chat/completions chunk, as parsed from an SSE `data:` line. */
export interface StreamChunk {
  id?: string;
  object?: string;
  model?: string;
  choices: Array<
    Record<string, unknown> & { index?: number; delta?: Record<string, unknown>; text?: string }
  >;
  usage?: Usage | null;
  [field: string]: unknown;
}

/**
 * Limits and budget of one scope (the key itself, its team, its user). Budgets are integer
 * micro-dollars so that sums never drift.
 */
export interface LimitScope {
  kind: 'key' | 'team' | 'user';
  id: string;
  rpmLimit: number | null;
  tpmLimit: number | null;
  maxParallelRequests: number | null;
  maxBudgetMicros: number | null;
  budgetDuration: string | null;
  /** Epoch ms of the next budget reset, or null when the budget never resets. */
  budgetResetAt: number | null;
  spendMicros: number;
}

/** What the auth plugin learns about the caller; later hooks read it from `ctx.key`. */
export interface KeyContext {
  /** SHA-256 hex of the raw key: the key's id everywhere (spend logs, limits). */
  hash: string;
  alias: string | null;
  keyName: string | null;
  ownerType: OwnerType;
  /** LiteLLM's route preset: llm_api | management | read_only | default. */
  keyType: string;
  teamId: string | null;
  userId: string | null;
  serviceAccountId: string | null;
  isAdmin: boolean;
  /** Effective model allow-list (key ∩ team); empty means every model. Entries may be `*` globs. */
  models: readonly string[];
  aliases: Readonly<Record<string, string>>;
  metadata: Readonly<Record<string, unknown>>;
  enforcedParams: readonly string[];
  allowedRoutes: readonly string[];
  /** Key first, then team, then user; each binds. */
  scopes: readonly LimitScope[];
}

export interface Deployment {
  /** Stable id (`<model_name>#<index>` unless the config gives one); sent as x-warden-model-id. */
  id: string;
  modelName: string;
  /** Provider prefix of litellm_params.model (`openai`, `mock`, ...). */
  provider: string;
  /** Model name sent upstream (the part after the provider prefix). */
  model: string;
  apiBase: string | null;
  apiKey: string | null;
  rpm: number | null;
  tpm: number | null;
  timeoutMs: number;
  streamTimeoutMs: number;
  inputCostPerToken: number | null;
  outputCostPerToken: number | null;
  modelInfo: Readonly<Record<string, unknown>>;
  /** The deployment's litellm_params without api_key, for /model/info. */
  publicParams: Readonly<Record<string, unknown>>;
}

/** Handed to onFinish hooks once the request is over, whatever its outcome. */
export interface FinishSummary {
  requestId: string;
  /** HTTP status sent to the client (200 for streams that started, even if they ended in an error frame). */
  status: number;
  /** The error that ended the request, if any. */
  error: unknown;
  stream: boolean;
  /** True once the upstream was called (a request refused earlier consumed nothing). */
  upstreamCalled: boolean;
  /** The client went away before the response finished. */
  aborted: boolean;
  usage: Usage | null;
  /** Usage was estimated because the upstream sent none. */
  usageEstimated: boolean;
  costMicros: number;
  /** No price is known for the deployment's model. */
  unpriced: boolean;
  startedAt: number;
  /** ms from request start to the first response byte sent to the client. */
  ttfbMs: number | null;
  durationMs: number;
}
