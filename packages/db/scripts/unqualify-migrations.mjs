// drizzle-kit writes foreign keys as REFERENCES "public"."table". Warden runs the same migrations in
// other schemas too (one schema per test file on a shared Postgres; createDatabase({schema})), where the
// connection's search_path picks the schema, so the explicit "public". is removed after generating.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../migrations/', import.meta.url).pathname;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
  const path = join(dir, file);
  const sql = readFileSync(path, 'utf8');
  const fixed = sql.replaceAll('"public".', '');
  if (fixed !== sql) writeFileSync(path, fixed);
}
