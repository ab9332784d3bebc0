import type { KeyType, PolicyDocument } from './schema.ts';

/** LiteLLM's lists from `general_settings` (SPEC 2, 6). */
export interface PolicySettings {
  /** `general_settings.enforced_params`: required of every key. */
  enforcedParams?: string[];
  /** `general_settings.service_account_settings.enforced_params`: required of service-account keys. */
  serviceAccountParams?: string[];
  /** `general_settings.enforce_user_param`: every LLM call needs `user`. */
  enforceUserParam?: boolean;
}

/** The key as policies see it (`key.*` in rules). */
export interface PolicyKeyInfo {
  type: KeyType;
  alias: string | null;
  team_id: string | null;
  user_id: string | null;
  metadata: Record<string, unknown>;
  models: readonly string[];
  /** The key's own `enforced_params` list. */
  enforced_params: readonly string[];
}

export interface PolicyInput {
  /** The request body. Never modified: mutations produce a copy (see EvaluationResult.request). */
  request: Record<string, unknown>;
  key: PolicyKeyInfo;
  /** Route without `/v1`, e.g. `/chat/completions`. */
  route: string;
  method: string;
  /** Public model name after the key's aliases. */
  model: string;
}

export interface Violation {
  policy: string;
  rule: string;
  message: string;
  param: string | null;
  status: number;
}

export interface EvaluationResult {
  allow: boolean;
  /** In evaluation order; at most one unless `collectAll`. */
  violations: Violation[];
  /** The body after mutations; the input object itself when `mutated` is false. */
  request: Record<string, unknown>;
  mutated: boolean;
}

export interface PolicyEngine {
  /** Replaces the API-managed policies (pass them by creation time); recompiles once. */
  setApiPolicies(docs: PolicyDocument[]): void;
  /** Hot path: stops at the first failure unless `collectAll`. */
  evaluate(input: PolicyInput, opts?: { collectAll?: boolean }): EvaluationResult;
}
