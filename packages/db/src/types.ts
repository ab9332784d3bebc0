import type { Logger } from './logger.ts';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** Drizzle over PGlite or postgres.js: the same query code runs on both. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Db | Tx;

export interface DatabaseOptions {
  /** A postgres:// URL selects Postgres through postgres.js; unset means embedded PGlite. */
  url?: string;
  /** PGlite only: its files live under `${dataDir}/pgdata`. Default `./.warden`. */
  dataDir?: string;
  /** Postgres schema holding Warden's tables (test isolation); default `public`. */
  schema?: string;
  logger: Logger;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** The Postgres schema in use (`public` unless isolated). */
  schema: string;
  /** Applies the committed drizzle migrations (idempotent; serialised across processes on Postgres). */
  migrate(): Promise<void>;
  /** A real `select 1` with a short timeout, for /health/readiness. */
  ping(timeoutMs?: number): Promise<boolean>;
  /**
   * LISTEN on `channel` (scoped to this database's schema). `onReset` is called when notifications
   * may have been lost (listener connection dropped, and again once it is re-established): callers
   * must then drop everything they cached. Returns an unlisten function.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onReset?: () => void,
  ): Promise<() => Promise<void>>;
  /** NOTIFY on `channel` (scoped like listen). Pass `tx` to send it on commit of that transaction. */
  notify(channel: string, payload: string, tx?: Executor): Promise<void>;
  /** The real channel name used for `channel` (schema-scoped, lower-case). */
  channelName(channel: string): string;
  /** Queries issued so far through `db` (and ping/notify). */
  queryCount(): number;
  close(): Promise<void>;
}
