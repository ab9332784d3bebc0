import type { OwnerType } from '@warden/core';

/** The service-account id of a key, from its metadata (the only place it is stored). */
export function serviceAccountIdOf(
  metadata: Readonly<Record<string, unknown>> | null | undefined,
): string | null {
  const id = metadata?.service_account_id;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * Owner type (SPEC 4), computed from the row and never stored: service_account when the metadata
 * names one, team when there is a team_id and no user_id, user otherwise. `admin` is only the
 * master key. A key with neither team nor user (LiteLLM's bare `/key/generate {}`) counts as a
 * personal key whose person is not recorded: calling it a team key would let team-scoped policies
 * and `owner_type=team` listings pick up keys that belong to no team.
 */
export function ownerTypeOf(row: {
  userId: string | null;
  teamId?: string | null;
  metadata: Readonly<Record<string, unknown>>;
}): Exclude<OwnerType, 'admin'> {
  if (serviceAccountIdOf(row.metadata) !== null) return 'service_account';
  if (row.userId === null && row.teamId != null) return 'team';
  return 'user';
}
