import type { AuditRow } from '../api/types.ts';

export interface AuditEntry {
  id: string;
  at: string | null;
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
  before: unknown;
  after: unknown;
}

/** Accept snake_case (API) and camelCase (raw drizzle rows) audit entries. */
export function toAuditEntry(row: AuditRow & Record<string, unknown>, index: number): AuditEntry {
  const r = row as Record<string, unknown>;
  const s = (...names: string[]) => {
    for (const n of names) if (r[n] != null && r[n] !== '') return String(r[n]);
    return '';
  };
  return {
    id: s('id') || String(index),
    at: s('at', 'created_at', 'createdAt', 'updated_at') || null,
    actor: s('actor', 'changed_by', 'changedBy') || 'unknown',
    action: s('action'),
    objectType: s('object_type', 'objectType', 'table_name'),
    objectId: s('object_id', 'objectId'),
    before: r.before ?? r.before_value ?? null,
    after: r.after ?? r.updated_values ?? null,
  };
}

/** Top-level fields that differ between before and after, for the one-line summary of a change. */
export function changedKeys(before: unknown, after: unknown): string[] {
  const a = before && typeof before === 'object' ? (before as Record<string, unknown>) : {};
  const b = after && typeof after === 'object' ? (after as Record<string, unknown>) : {};
  if (!before || !after) return [];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]) && k !== 'updated_at' && k !== 'updatedAt')
    .sort();
}

/** The master key shows as "master"; key hashes are shortened for display. */
export function actorLabel(actor: string): string {
  if (actor === 'master' || actor === 'admin') return 'Master key';
  return /^[0-9a-f]{64}$/.test(actor) ? `key ${actor.slice(0, 10)}…` : actor;
}
