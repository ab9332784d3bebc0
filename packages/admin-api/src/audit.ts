import { auditLog, type Tx } from '@warden/db';

/**
 * Field names whose values never reach the audit log. Raw keys are never in rows to begin with, but
 * free-form metadata can hold anything, so names that look like credentials are dropped too.
 */
const SECRET_FIELDS = new Set(['key', 'new_key', 'raw_key', 'rawKey']);
const SECRET_NAME =
  /(^|_)(api_?key|master_?key|private_?key|access_?key|secret|password|passwd|credentials?)$/i;
/** Anything shaped like an API key, anywhere inside a string (`Bearer sk-...`, LiteLLM's `sk-1234`). */
const KEY_LIKE = /\bsk-[A-Za-z0-9_-]{4,}/g;

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 16 || value === null || typeof value !== 'object') {
    return typeof value === 'string' ? value.replace(KEY_LIKE, '[redacted]') : value;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_FIELDS.has(k) || SECRET_NAME.test(k) ? '[redacted]' : scrub(v, depth + 1);
  return out;
}

export interface AuditEntry {
  actor: string;
  action: string;
  objectType: 'key' | 'team' | 'user' | 'policy' | 'team_member';
  objectId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Writes one audit row inside the change's own transaction (so it exists iff the change does). */
export async function writeAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    ...entry,
    before: entry.before ? (scrub(entry.before) as Record<string, unknown>) : null,
    after: entry.after ? (scrub(entry.after) as Record<string, unknown>) : null,
  });
}
