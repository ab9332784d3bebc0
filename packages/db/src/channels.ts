/**
 * NOTIFY channel names carry the schema, so that parallel test files (one schema each) on one
 * Postgres never see each other's invalidations. Lower-case [a-z0-9_] only: PGlite sends
 * `LISTEN name` unquoted, Postgres folds it to lower case, and pg_notify() matches exactly.
 */
export function scopedChannel(channel: string, schema: string): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const name = schema === 'public' ? clean(channel) : `${clean(channel)}__${clean(schema)}`;
  if (name.length > 63) throw new Error(`channel name too long (max 63): ${name}`);
  return name;
}

/** Quotes a schema identifier for DDL (schemas come from config or tests, never from requests). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
