import type { KeyRecord } from '../api/types.ts';
import { parseDollars, parseDuration, parseLimit, parseList, invalidParamNames } from './fields.ts';
import { parseJsonObject, toEditorJson } from './json.ts';

export type OwnerChoice = 'user' | 'service_account' | 'team';

/** Everything the key form edits, as the inputs hold it (strings), before validation. */
export interface KeyFormValues {
  owner: OwnerChoice;
  user_id: string;
  team_id: string;
  service_account_id: string;
  key_alias: string;
  models: string[];
  max_budget: string;
  budget_duration: string;
  duration: string;
  rpm_limit: string;
  tpm_limit: string;
  max_parallel_requests: string;
  enforced_params: string;
  metadata: string;
}

export const EMPTY_KEY_FORM: KeyFormValues = {
  owner: 'service_account',
  user_id: '',
  team_id: '',
  service_account_id: '',
  key_alias: '',
  models: [],
  max_budget: '',
  budget_duration: '',
  duration: '',
  rpm_limit: '',
  tpm_limit: '',
  max_parallel_requests: '',
  enforced_params: '',
  metadata: '',
};

export type KeyFormErrors = Partial<Record<keyof KeyFormValues, string>>;

export type KeyRequest =
  | { ok: true; path: string; body: Record<string, unknown> }
  | { ok: false; errors: KeyFormErrors };

/** Fields shared by create and edit; collects every problem at once so the form can show them all. */
function commonFields(v: KeyFormValues, errors: KeyFormErrors): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const alias = v.key_alias.trim();
  if (alias) {
    if (alias.length > 128) errors.key_alias = 'Keep the alias under 128 characters';
    body.key_alias = alias;
  }
  body.models = v.models;
  const numbers = [
    ['max_budget', parseDollars(v.max_budget)],
    ['rpm_limit', parseLimit(v.rpm_limit)],
    ['tpm_limit', parseLimit(v.tpm_limit)],
    ['max_parallel_requests', parseLimit(v.max_parallel_requests)],
    ['budget_duration', parseDuration(v.budget_duration)],
  ] as const;
  for (const [field, parsed] of numbers) {
    if (!parsed.ok) errors[field] = parsed.message;
    else if (parsed.value !== undefined) body[field] = parsed.value;
  }
  if (body.budget_duration !== undefined && body.max_budget === undefined) {
    errors.budget_duration = 'A budget period needs a budget';
  }
  const enforced = parseList(v.enforced_params);
  const bad = invalidParamNames(enforced);
  if (bad.length) errors.enforced_params = `Not a parameter name: ${bad.join(', ')}`;
  body.enforced_params = enforced;
  const meta = parseJsonObject(v.metadata);
  if (!meta.ok) errors.metadata = meta.message;
  else body.metadata = meta.value;
  return body;
}

/**
 * Turn the create form into the admin API call. The owner choice decides the route and which of
 * user_id / team_id may be sent (SPEC section 4): a service account has a team and never a user; a
 * team key has a team and no user; a person's key has a user and optionally a team.
 */
export function buildCreateKeyRequest(v: KeyFormValues): KeyRequest {
  const errors: KeyFormErrors = {};
  const body = commonFields(v, errors);
  const team = v.team_id.trim();
  const user = v.user_id.trim();
  const duration = parseDuration(v.duration);
  if (!duration.ok) errors.duration = duration.message;
  else if (duration.value) body.duration = duration.value;

  let path = '/key/generate';
  if (v.owner === 'service_account') {
    path = '/key/service-account/generate';
    if (!team) errors.team_id = 'A service account belongs to a team: pick one';
    body.team_id = team;
    const sa = v.service_account_id.trim();
    const meta = (body.metadata as Record<string, unknown> | undefined) ?? {};
    if (sa) body.metadata = { ...meta, service_account_id: sa };
    else if (!body.key_alias && !meta.service_account_id) {
      // The gateway would invent `sa_…`; an alias makes the account recognisable in logs and policies.
      errors.key_alias = 'Give the service account an alias or an id';
    }
  } else if (v.owner === 'team') {
    if (!team) errors.team_id = 'Pick the team that owns this key';
    body.team_id = team;
    if ((body.metadata as Record<string, unknown> | undefined)?.service_account_id !== undefined) {
      errors.metadata = 'service_account_id makes this a service-account key: choose that owner instead';
    }
  } else {
    if (!user) errors.user_id = 'Enter the person this key belongs to';
    body.user_id = user;
    if (team) body.team_id = team;
    if ((body.metadata as Record<string, unknown> | undefined)?.service_account_id !== undefined) {
      errors.metadata = 'service_account_id makes this a service-account key: choose that owner instead';
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, path, body };
}

/** The edit form for an existing key: owner and team are fixed; the service-account id may not change. */
export function buildUpdateKeyRequest(key: KeyRecord, v: KeyFormValues): KeyRequest {
  const errors: KeyFormErrors = {};
  const body = commonFields(v, errors);
  const before = key.metadata?.service_account_id;
  const after = (body.metadata as Record<string, unknown> | undefined)?.service_account_id;
  if (before !== undefined && after !== undefined && after !== before) {
    errors.metadata = 'service_account_id cannot be changed';
  }
  // Metadata merges on update, so an id the user deleted from the editor would silently stay: say so.
  if (before !== undefined && after === undefined && body.metadata !== undefined) {
    body.metadata = { ...(body.metadata as Record<string, unknown>), service_account_id: before };
  }
  const duration = parseDuration(v.duration);
  if (!duration.ok) errors.duration = duration.message;
  else if (duration.value) body.duration = duration.value;
  body.key = key.token;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, path: '/key/update', body };
}

const str = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** Prefill the edit form from a key row. */
export function keyToFormValues(key: KeyRecord): KeyFormValues {
  return {
    owner: key.owner_type === 'user' || key.owner_type === 'team' ? key.owner_type : 'service_account',
    user_id: key.user_id ?? '',
    team_id: key.team_id ?? '',
    service_account_id: String(key.metadata?.service_account_id ?? ''),
    key_alias: key.key_alias ?? '',
    models: key.models ?? [],
    max_budget: str(key.max_budget),
    budget_duration: key.budget_duration ?? '',
    duration: '',
    rpm_limit: str(key.rpm_limit),
    tpm_limit: str(key.tpm_limit),
    max_parallel_requests: str(key.max_parallel_requests),
    enforced_params: (key.enforced_params ?? []).join(', '),
    metadata: toEditorJson(key.metadata),
  };
}

/** Map an API error's `param` (e.g. `team_id`, `metadata.service_account_id`) to a form field. */
export function fieldForParam(param: string | null | undefined): keyof KeyFormValues | null {
  if (!param) return null;
  const head = param.split(/[.[]/)[0] ?? '';
  if (param.startsWith('metadata.service_account_id')) return 'service_account_id';
  if (head in EMPTY_KEY_FORM) return head as keyof KeyFormValues;
  if (head === 'expires') return 'duration';
  return null;
}
