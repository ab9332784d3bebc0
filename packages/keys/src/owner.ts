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
 * names one, user when there is a user_id, team otherwise. `admin` is only the master key.
 */
export function ownerTypeOf(row: {
  userId: string | null;
  metadata: Readonly<Record<string, unknown>>;
}): Exclude<OwnerType, 'admin'> {
  if (serviceAccountIdOf(row.metadata) !== null) return 'service_account';
  if (row.userId !== null) return 'user';
  return 'team';
}
