import type { KeyRow, TeamMemberRow, TeamRow, UserRow } from '@warden/db';
import { ownerTypeOf, serviceAccountIdOf } from '@warden/keys';
import { microsToDollars } from './money.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const dollars = (m: number | null) => (m === null ? null : microsToDollars(m));

/** The budget and rate-limit columns keys, teams and users all carry (same names in every table). */
type BudgetAndLimits = Pick<
  KeyRow,
  | 'maxBudgetMicros'
  | 'budgetDuration'
  | 'budgetResetAt'
  | 'spendMicros'
  | 'rpmLimit'
  | 'tpmLimit'
  | 'maxParallelRequests'
>;

/**
 * The money and limit fields of every owner of spend, in one place so dollars/micros and date
 * handling cannot drift between /key, /team and /user responses. Spread in place, so the JSON field
 * order clients see is unchanged.
 */
function budgetAndLimitsToWire(row: BudgetAndLimits): Record<string, unknown> {
  return {
    max_budget: dollars(row.maxBudgetMicros),
    budget_duration: row.budgetDuration,
    budget_reset_at: iso(row.budgetResetAt),
    spend: microsToDollars(row.spendMicros),
    rpm_limit: row.rpmLimit,
    tpm_limit: row.tpmLimit,
    max_parallel_requests: row.maxParallelRequests,
  };
}

/** Who made the row and when; the same three trailing fields on every admin object. */
export function provenanceToWire(
  row: Pick<KeyRow, 'createdAt' | 'updatedAt' | 'createdBy'>,
): Record<string, unknown> {
  return { created_at: iso(row.createdAt), updated_at: iso(row.updatedAt), created_by: row.createdBy };
}

/** A key as the admin API shows it (LiteLLM field names; never the raw key). */
export function keyToWire(row: KeyRow): Record<string, unknown> {
  return {
    token: row.token,
    key_name: row.keyName,
    key_alias: row.keyAlias,
    owner_type: ownerTypeOf(row),
    service_account_id: serviceAccountIdOf(row.metadata),
    key_type: row.keyType,
    user_id: row.userId,
    team_id: row.teamId,
    models: row.models,
    aliases: row.aliases,
    ...budgetAndLimitsToWire(row),
    expires: iso(row.expires),
    blocked: row.blocked,
    metadata: row.metadata,
    enforced_params: row.enforcedParams,
    allowed_routes: row.allowedRoutes,
    ...provenanceToWire(row),
  };
}

export function memberToWire(row: TeamMemberRow): Record<string, unknown> {
  return { user_id: row.userId, role: row.role };
}

export function teamToWire(row: TeamRow, members?: readonly TeamMemberRow[]): Record<string, unknown> {
  return {
    team_id: row.teamId,
    team_alias: row.teamAlias,
    models: row.models,
    ...budgetAndLimitsToWire(row),
    blocked: row.blocked,
    metadata: row.metadata,
    ...(members ? { members_with_roles: members.map(memberToWire) } : {}),
    ...provenanceToWire(row),
  };
}

export function userToWire(row: UserRow): Record<string, unknown> {
  return {
    user_id: row.userId,
    user_email: row.userEmail,
    user_role: row.userRole,
    models: row.models,
    ...budgetAndLimitsToWire(row),
    blocked: row.blocked,
    metadata: row.metadata,
    ...provenanceToWire(row),
  };
}
