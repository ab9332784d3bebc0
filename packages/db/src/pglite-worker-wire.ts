import { messages, type QueryOptions, type Results } from '@electric-sql/pglite';

/**
 * Messages between `pglite-worker-client.ts` (main thread) and `pglite-worker.mjs` (the database's
 * thread). Everything here crosses by structured clone, so no functions: QueryOptions travel as
 * `WireOptions`. Params keep their types across (Date, bigint, Uint8Array, plain objects), so PGlite's
 * own serializers see the same values they would in-process; other class instances arrive as plain
 * objects (a custom `toString` is lost), so convert those before the call (drizzle already does).
 */
export interface WireOptions {
  rowMode?: 'array' | 'object';
  paramTypes?: number[];
  /** Type OIDs the caller has parsers for: the worker leaves those columns as text. */
  rawOids?: number[];
}

export type Request =
  | { op: 'query'; id: number; txId?: number; text: string; params: unknown[]; options?: WireOptions }
  | { op: 'exec'; id: number; txId?: number; text: string; options?: WireOptions }
  | { op: 'begin'; id: number; txId: number }
  | { op: 'end'; id: number; txId: number; commit: boolean }
  | { op: 'rollback'; id: number; txId: number }
  | { op: 'listen'; id: number; channel: string; listenId: number }
  | { op: 'unlisten'; id: number; listenId: number }
  | { op: 'close'; id: number };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
/** A request without its id: the client numbers requests as it sends them. */
export type Call = WithoutId<Request>;

export interface WireError {
  message: string;
  name: string;
  stack?: string;
  /** Was a PGlite DatabaseError (an error Postgres reported, with a SQLSTATE `code`). */
  database?: boolean;
  fields: Record<string, unknown>;
  cause?: WireError;
}

export type Reply =
  | { type: 'ready' }
  | { type: 'failed'; error: WireError }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: WireError }
  | { type: 'notification'; listenId: number; payload: string };

/**
 * What of QueryOptions can cross. Serializers, notice callbacks and blobs are functions or handles
 * bound to this thread; drizzle passes none of them, and silently dropping one would change what
 * is stored, so they are refused.
 */
export function toWireOptions(options: QueryOptions | undefined): WireOptions | undefined {
  if (!options) return undefined;
  if (options.serializers && Object.keys(options.serializers).length > 0)
    throw new Error(
      'the embedded database worker cannot take QueryOptions.serializers; serialize params first',
    );
  if (options.onNotice || options.blob)
    throw new Error('the embedded database worker does not support QueryOptions.onNotice or blob');
  const wire: WireOptions = {};
  if (options.rowMode) wire.rowMode = options.rowMode;
  if (options.paramTypes) wire.paramTypes = options.paramTypes;
  if (options.parsers) wire.rawOids = Object.keys(options.parsers).map(Number);
  return wire;
}

/**
 * Runs the caller's parsers on the columns the worker left as text, exactly where PGlite would
 * have: non-null values of a column whose type has a parser (`parser(text, oid)`). In object mode
 * a duplicated column name keeps the last column's value, as PGlite's `Object.fromEntries` does.
 */
export function applyParsers<T>(result: Results<T>, options: QueryOptions | undefined): void {
  const parsers = options?.parsers;
  if (!parsers) return;
  const byArray = options.rowMode === 'array';
  const targets: [key: number | string, parse: (text: string, oid: number) => unknown, oid: number][] = [];
  result.fields.forEach((field, i) => {
    const parse = parsers[field.dataTypeID];
    if (!parse) return;
    if (byArray) targets.push([i, parse, field.dataTypeID]);
    else if (result.fields.findLastIndex((f) => f.name === field.name) === i)
      targets.push([field.name, parse, field.dataTypeID]);
  });
  if (targets.length === 0) return;
  for (const row of result.rows as Record<number | string, unknown>[]) {
    for (const [key, parse, oid] of targets) {
      const text = row[key];
      if (text !== null && text !== undefined) row[key] = parse(text as string, oid);
    }
  }
}

/**
 * The worker's error rebuilt in this thread: same class for Postgres errors (so `instanceof
 * DatabaseError` holds), same message and fields (`code`, `detail`, `constraint`, ...), and the
 * query, params and options PGlite attaches, taken from the call that failed.
 */
export function fromWireError(
  wire: WireError,
  call?: { text: string; params?: unknown[]; options?: QueryOptions },
): Error {
  let error: Error;
  if (wire.database) {
    error = new messages.DatabaseError(wire.message, 0, 'error');
    Object.assign(error, wire.fields);
    if (call) Object.assign(error, { query: call.text, params: call.params, queryOptions: call.options });
  } else {
    error = new Error(wire.message, wire.cause ? { cause: fromWireError(wire.cause) } : undefined);
    Object.assign(error, wire.fields);
    error.name = wire.name;
  }
  if (wire.stack) error.stack = wire.stack;
  return error;
}
