import { resolve } from 'node:path';
import { createPostgresDatabase } from './postgres.ts';
import type { Database, DatabaseOptions } from './types.ts';

/**
 * Opens Warden's database: Postgres through postgres.js for a `postgres://` URL, else the embedded
 * PGlite under `dataDir` (default `./.warden`), run in a worker thread so that no SQL executes on the
 * request thread. Call `migrate()` before use.
 *
 * @example
 * const database = await createDatabase({ url: process.env.DATABASE_URL, logger });
 * await database.migrate();
 */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  const schemaName = options.schema ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schemaName))
    throw new Error(`invalid schema name: ${schemaName}`);
  if (options.url) {
    if (!/^postgres(ql)?:\/\//.test(options.url)) throw new Error('database url must start with postgres://');
    return createPostgresDatabase(options.url, schemaName, options.logger);
  }
  // Loaded only for the embedded database: PGlite's JavaScript (pulled in by drizzle's PGlite
  // driver and the worker wire format) costs ~45 MB of resident memory in a process that never
  // opens it, i.e. every gateway on Postgres.
  const [{ openPgliteWorker }, { wrapPglite }] = await Promise.all([
    import('./open-pglite-worker.ts'),
    import('./pglite.ts'),
  ]);
  const client = await openPgliteWorker({
    dataDir: resolve(options.dataDir ?? './.warden'),
    logger: options.logger,
  });
  return wrapPglite(client, schemaName, options.logger);
}
