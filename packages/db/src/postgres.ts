import type { Logger } from './logger.ts';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { quoteIdent, scopedChannel } from './channels.ts';
import { MIGRATIONS_FOLDER } from './migrations-folder.ts';
import { createQueryCounter, withTimeout } from './query-counter.ts';
import * as schema from './schema/index.ts';
import { createPgListener } from './pg-listener.ts';
import type { Database, Db, Executor } from './types.ts';

const quiet = () => {};

/** Postgres through postgres.js: a pool for queries, one dedicated connection for LISTEN. */
export async function createPostgresDatabase(
  url: string,
  schemaName: string,
  logger: Logger,
): Promise<Database> {
  const connection = schemaName === 'public' ? {} : { search_path: schemaName };
  const client = postgres(url, { max: 10, connection, onnotice: quiet, connect_timeout: 10 });
  const counter = createQueryCounter();
  const db = drizzle({ client, schema, logger: counter }) as unknown as Db;
  const listener = createPgListener({
    url,
    applicationName: `warden-listen-${schemaName}`.slice(0, 63),
    logger,
  });
  const channelName = (channel: string) => scopedChannel(channel, schemaName);
  let closed = false;

  return {
    kind: 'postgres',
    db,
    schema: schemaName,
    async migrate() {
      // A single-connection client of its own, so the session advisory lock and the migrator's
      // transaction share one connection: replicas starting together migrate one at a time.
      const one = postgres(url, { max: 1, connection, onnotice: quiet });
      const lock = `warden_migrate:${schemaName}`;
      try {
        if (schemaName !== 'public')
          await one.unsafe(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schemaName)}`);
        await one`select pg_advisory_lock(hashtext(${lock}))`;
        try {
          await migrate(drizzle({ client: one, schema }), {
            migrationsFolder: MIGRATIONS_FOLDER,
            ...(schemaName === 'public' ? {} : { migrationsSchema: schemaName }),
          });
        } finally {
          await one`select pg_advisory_unlock(hashtext(${lock}))`;
        }
        logger.debug('database migrated', { kind: 'postgres', schema: schemaName });
      } finally {
        await one.end({ timeout: 5 });
      }
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
    listen(channel, onMessage, onReset) {
      return listener.listen(channelName(channel), onMessage, onReset);
    },
    async notify(channel, payload, tx?: Executor) {
      await (tx ?? db).execute(sql`select pg_notify(${channelName(channel)}, ${payload})`);
    },
    channelName,
    queryCount: () => counter.count,
    async close() {
      if (closed) return;
      closed = true;
      await listener.close();
      await client.end({ timeout: 5 });
    },
  };
}
