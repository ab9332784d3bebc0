import type { QueryOptions, Results } from '@electric-sql/pglite';

/** The part of a PGlite transaction that drizzle and Warden use. */
export interface PgliteTx {
  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(text: string, options?: QueryOptions): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

/**
 * The part of PGlite that `wrapPglite` and drizzle's pglite driver call: satisfied by a PGlite
 * instance in this thread (test clones) and by the worker-thread client (the embedded database).
 */
export interface PgliteClient {
  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(text: string, options?: QueryOptions): Promise<Results[]>;
  transaction<T>(callback: (tx: PgliteTx) => Promise<T>): Promise<T>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
