import type { Database, Executor } from '@warden/db';

/**
 * NOTIFY channel for key, team and user changes (scoped to the database schema by @warden/db).
 * Payload: JSON `{"kind":"key","id":<hash>}`, `{"kind":"team","id":...}`, `{"kind":"user","id":...}`
 * or `{"kind":"all"}`.
 */
export const KEYS_CHANNEL = 'warden_keys';

export type KeyChange = { kind: 'key' | 'team' | 'user'; id: string } | { kind: 'all' };

/** Sends the change inside `tx`, so every replica hears it exactly when (and only if) it commits. */
export async function notifyKeyChange(database: Database, tx: Executor, change: KeyChange): Promise<void> {
  await database.notify(KEYS_CHANNEL, JSON.stringify(change), tx);
}

export function parseKeyChange(payload: string): KeyChange {
  try {
    const value = JSON.parse(payload) as Partial<{ kind: string; id: unknown }>;
    if (
      (value.kind === 'key' || value.kind === 'team' || value.kind === 'user') &&
      typeof value.id === 'string'
    ) {
      return { kind: value.kind, id: value.id };
    }
  } catch {
    // fall through: an unreadable message must still invalidate, so drop everything.
  }
  return { kind: 'all' };
}
