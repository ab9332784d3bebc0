import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from './logger.ts';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { quoteIdent, scopedChannel } from './channels.ts';
import { MIGRATIONS_FOLDER } from './migrations-folder.ts';
import type { PgliteClient } from './pglite-client.ts';
import { createQueryCounter, withTimeout } from './query-counter.ts';
import * as schema from './schema/index.ts';
import type { Database, Db, Executor } from './types.ts';

/**
 * Wraps PGlite: the worker-thread client (the embedded database, see `open-pglite-worker.ts`) or an
 * instance in this thread (the test template, migrated once and dumped). PGlite is one connection, so `SET search_path` holds for
 * every later query, and LISTEN/NOTIFY never loses its connection (onReset is never called).
 */
export async function wrapPglite(
  pglite: PgliteClient,
  schemaName: string,
  logger: Logger,
): Promise<Database> {
  // drizzle's driver is typed for PGlite but only calls query() and transaction() (and tx.query()),
  // which the worker client provides with the same arguments and results.
  const client = pglite as unknown as PGlite;
  const counter = createQueryCounter();
  const db = drizzle({ client, schema, logger: counter }) as unknown as Db;
  if (schemaName !== 'public') {
    await pglite.exec(
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schemaName)}; SET search_path TO ${quoteIdent(schemaName)}`,
    );
  }
  const channelName = (channel: string) => scopedChannel(channel, schemaName);
  let closed = false;
  return {
    kind: 'pglite',
    db,
    schema: schemaName,
    async migrate() {
      await migrate(drizzle({ client, schema }), {
        migrationsFolder: MIGRATIONS_FOLDER,
        ...(schemaName === 'public' ? {} : { migrationsSchema: schemaName }),
      });
      logger.debug('database migrated', { kind: 'pglite', schema: schemaName });
    },
    async ping(timeoutMs = 2000) {
      if (closed) return false;
      try {
        await withTimeout(db.execute(sql`select 1`), timeoutMs);
        return true;
      } catch {
        return false;
      }
    },
    async listen(channel, onMessage) {
      const unlisten = await pglite.listen(channelName(channel), (payload) => onMessage(payload));
      return async () => {
        if (!closed) await unlisten();
      };
    },
    async notify(channel, payload, tx?: Executor) {
      await (tx ?? db).execute(sql`select pg_notify(${channelName(channel)}, ${payload})`);
    },
    channelName,
    queryCount: () => counter.count,
    async close() {
      if (closed) return;
      closed = true;
      await pglite.close();
    },
  };
}
