export type OwnerType = 'user' | 'service_account' | 'team' | 'admin';

/** A key row as `/key/list?return_full_object=true` and `/key/info` return it (never the raw key). */
export interface KeyRecord {
  token: string;
  key_name?: string | null;
  key_alias?: string | null;
  owner_type?: OwnerType | null;
  team_id?: string | null;
  user_id?: string | null;
  models?: string[] | null;
  spend?: number | null;
  max_budget?: number | null;
  budget_duration?: string | null;
  budget_reset_at?: string | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  max_parallel_requests?: number | null;
  expires?: string | null;
  blocked?: boolean | null;
  metadata?: Record<string, unknown> | null;
  enforced_params?: string[] | null;
  aliases?: Record<string, string> | null;
  key_type?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface KeyListResponse {
  keys: Array<KeyRecord | string>;
  total_count: number;
  current_page: number;
  total_pages: number;
}

/** `/key/generate`, `/key/service-account/generate` and `/key/regenerate`: the only time the raw key is seen. */
export interface GeneratedKey extends Partial<KeyRecord> {
  key: string;
  token_id?: string;
}

export interface TeamMember {
  user_id?: string | null;
  user_email?: string | null;
  role?: string | null;
}

export interface TeamRecord {
  team_id: string;
  team_alias?: string | null;
  models?: string[] | null;
  spend?: number | null;
  max_budget?: number | null;
  budget_duration?: string | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  max_parallel_requests?: number | null;
  blocked?: boolean | null;
  metadata?: Record<string, unknown> | null;
  members_with_roles?: TeamMember[] | null;
  created_at?: string | null;
}

export interface UserRecord {
  user_id: string;
  user_email?: string | null;
  user_role?: string | null;
  spend?: number | null;
  max_budget?: number | null;
  models?: string[] | null;
  teams?: string[] | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  created_at?: string | null;
}

export interface PolicyRule {
  id: string;
  when?: unknown;
  require?: unknown;
  set?: unknown;
  message?: string;
  param?: string;
  status?: number;
}

export interface PolicyDocument {
  name: string;
  description?: string;
  key_types?: string[];
  teams?: string[];
  models?: string[];
  routes?: string[];
  rules: PolicyRule[];
  [extra: string]: unknown;
}

export interface PolicyRecord extends PolicyDocument {
  id?: string;
  policy_id?: string;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface PolicyViolation {
  policy?: string | null;
  rule?: string | null;
  message: string;
  param?: string | null;
}

export interface PolicyTestResult {
  allowed: boolean;
  violations: PolicyViolation[];
  request: unknown;
}

export interface SpendLogRow {
  request_id?: string;
  id?: string;
  api_key?: string | null;
  key_alias?: string | null;
  team_id?: string | null;
  user?: string | null;
  user_id?: string | null;
  model?: string | null;
  model_group?: string | null;
  spend?: number | null;
  total_tokens?: number | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  status?: string | number | null;
  startTime?: string | null;
  start_time?: string | null;
  created_at?: string | null;
}

export interface AuditRow {
  id?: string | number;
  actor?: string | null;
  changed_by?: string | null;
  action?: string | null;
  object_type?: string | null;
  table_name?: string | null;
  object_id?: string | null;
  before?: unknown;
  after?: unknown;
  before_value?: unknown;
  updated_values?: unknown;
  created_at?: string | null;
  updated_at?: string | null;
}
