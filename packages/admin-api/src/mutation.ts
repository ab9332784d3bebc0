import type { Tx } from '@warden/db';
import { type KeyChange, notifyKeyChange } from '@warden/keys';
import type { AdminDeps } from './types.ts';

/**
 * Runs an admin change in one transaction (rows, audit and NOTIFY commit together), then drops
 * the affected cache entries in this process at once; other replicas follow on the NOTIFY.
 */
export async function mutate<T>(
  deps: AdminDeps,
  fn: (tx: Tx, changed: (change: KeyChange) => void) => Promise<T>,
): Promise<T> {
  const changes: KeyChange[] = [];
  const result = await deps.database.db.transaction((tx) => fn(tx, (c) => changes.push(c)));
  for (const change of changes) deps.keys.invalidate(change);
  return result;
}

/**
 * A team or user change that alters the keys' resolved scopes: NOTIFY the other replicas inside the
 * transaction and drop this process's cache once it commits. Both halves, always together.
 */
export async function publishKeyChange(
  deps: AdminDeps,
  tx: Tx,
  changed: (change: KeyChange) => void,
  change: KeyChange,
): Promise<void> {
  await notifyKeyChange(deps.database, tx, change);
  changed(change);
}
