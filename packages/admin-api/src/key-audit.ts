import type { KeyRow, Tx } from '@warden/db';
import type { KeyChange } from '@warden/keys';
import { writeAudit } from './audit.ts';
import { keyToWire } from './wire.ts';

/**
 * Records keys that were just deleted: one `key.delete` audit row each and a cache drop. Shared by
 * /key/delete and the team/user deletes that take keys with them, so a key removed either way leaves
 * the same trail. Returns the tokens for the response's `deleted_keys`.
 */
export async function recordDeletedKeys(
  tx: Tx,
  actor: string,
  rows: readonly KeyRow[],
  changed: (change: KeyChange) => void,
): Promise<string[]> {
  for (const row of rows) {
    await writeAudit(tx, {
      actor,
      action: 'key.delete',
      objectType: 'key',
      objectId: row.token,
      before: keyToWire(row),
      after: null,
    });
    changed({ kind: 'key', id: row.token });
  }
  return rows.map((r) => r.token);
}

/**
 * Records a change to one key (update, block, regenerate): the audit row with both sides and a cache
 * drop for the key as it was referenced. A regenerate also drops its new token (the caller does).
 */
export async function recordKeyChange(
  tx: Tx,
  actor: string,
  action: string,
  hash: string,
  change: { before: KeyRow; after: KeyRow },
  changed: (change: KeyChange) => void,
): Promise<void> {
  await writeAudit(tx, {
    actor,
    action,
    objectType: 'key',
    objectId: hash,
    before: keyToWire(change.before),
    after: keyToWire(change.after),
  });
  changed({ kind: 'key', id: hash });
}
