// The embedded database's own thread: PGlite runs every statement synchronously on the thread that
// owns it, so it lives here and the gateway's request thread only posts messages to it.
// Plain JavaScript on purpose: a worker does not always inherit a TypeScript loader (it does under
// `node --import tsx`, not under vitest or a bundler), and this file must start either way.
// The wire format is described by `pglite-worker-wire.ts`; `pglite-worker-client.ts` is the other end.
import { parentPort, workerData } from 'node:worker_threads';
import { messages, PGlite } from '@electric-sql/pglite';

/** Thrown inside `pg.transaction` to make PGlite roll back; never sent to the main thread. */
const ROLLBACK = Symbol('rollback');
const raw = (value) => value;

/** @type {PGlite} */
let pg;
/** Open interactive transactions by id: PGlite's tx object and the function that ends it. */
const transactions = new Map();
/** Unlisten functions by listen id. */
const listeners = new Map();

const fail = (id, error) => parentPort.postMessage({ type: 'reply', id, ok: false, error: toWire(error) });
function reply(id, value) {
  try {
    parentPort.postMessage({ type: 'reply', id, ok: true, value });
  } catch (error) {
    fail(id, error); // a value structured clone cannot copy: that call fails, the thread carries on
  }
}

/**
 * An error as plain data: message, name, stack and every primitive own field (a DatabaseError's
 * code, detail, constraint, ...). PGlite also attaches the query, its params and its options (with
 * parser functions, which cannot be cloned); the main thread puts its own copies back instead.
 */
function toWire(error, depth = 0) {
  if (typeof error !== 'object' || error === null)
    return { message: String(error), name: 'Error', fields: {} };
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean', 'bigint', 'undefined'].includes(typeof value))
      fields[key] = value;
  }
  // Emscripten's file system throws plain objects ({name: 'ErrnoError', errno}): keep what they say.
  const message =
    typeof error.message === 'string' ? error.message : `${error.name ?? 'Error'} ${JSON.stringify(fields)}`;
  return {
    message,
    name: typeof error.name === 'string' ? error.name : 'Error',
    stack: error.stack,
    database: error instanceof messages.DatabaseError,
    fields,
    ...(error.cause !== undefined && depth < 3 ? { cause: toWire(error.cause, depth + 1) } : {}),
  };
}

/**
 * QueryOptions as sent by the main thread: parsers arrive as the list of type OIDs they cover and
 * are applied there (they are functions); here those columns are left as the text Postgres sent.
 */
function queryOptions(wire) {
  if (!wire) return undefined;
  const options = {};
  if (wire.rowMode) options.rowMode = wire.rowMode;
  if (wire.paramTypes) options.paramTypes = wire.paramTypes;
  if (wire.rawOids) {
    options.parsers = {};
    for (const oid of wire.rawOids) options.parsers[oid] = raw;
  }
  return options;
}

/** Where a statement runs: inside its open transaction, or on the database (PGlite's mutex queues it). */
function target(txId) {
  if (txId === undefined) return pg;
  const open = transactions.get(txId);
  if (!open) throw new Error('Transaction is closed');
  return open.tx;
}

/**
 * Starts `pg.transaction` and holds it open until the main thread sends `end`: its callback runs
 * there, its statements arrive here tagged with the transaction id. Replies twice: to `begin` once
 * BEGIN ran, and to `end` once COMMIT (or ROLLBACK) did.
 */
function begin(id, txId) {
  let started = false;
  const state = { tx: undefined, endId: undefined, finish: undefined };
  const ended = new Promise((resolve) => {
    state.finish = resolve;
  });
  pg.transaction(async (tx) => {
    state.tx = tx;
    transactions.set(txId, state);
    started = true;
    reply(id, null);
    if (!(await ended)) throw ROLLBACK;
  }).then(
    () => {
      transactions.delete(txId);
      reply(state.endId, null);
    },
    (error) => {
      transactions.delete(txId);
      if (!started) fail(id, error);
      else if (error === ROLLBACK) reply(state.endId, null);
      else fail(state.endId, error);
    },
  );
}

function end(id, txId, commit) {
  const open = transactions.get(txId);
  if (!open) return fail(id, new Error('Transaction is closed'));
  open.endId = id;
  open.finish(commit);
}

async function listen(channel, listenId) {
  const unlisten = await pg.listen(channel, (payload) =>
    parentPort.postMessage({ type: 'notification', listenId, payload }),
  );
  listeners.set(listenId, unlisten);
}

async function unlisten(listenId) {
  const stop = listeners.get(listenId);
  listeners.delete(listenId);
  if (stop) await stop();
}

async function handle(msg) {
  switch (msg.op) {
    case 'query':
      return target(msg.txId).query(msg.text, msg.params, queryOptions(msg.options));
    case 'exec':
      return target(msg.txId).exec(msg.text, queryOptions(msg.options));
    case 'rollback':
      return target(msg.txId).rollback();
    case 'listen':
      return listen(msg.channel, msg.listenId);
    case 'unlisten':
      return unlisten(msg.listenId);
    case 'close':
      return pg.close();
    default:
      throw new Error(`unknown database worker operation: ${msg.op}`);
  }
}

function onMessage(msg) {
  if (msg.op === 'begin') return begin(msg.id, msg.txId);
  if (msg.op === 'end') return end(msg.id, msg.txId, msg.commit);
  handle(msg).then(
    (value) => reply(msg.id, value ?? null),
    (error) => fail(msg.id, error),
  );
}

try {
  const { dataDir, loadDataDir } = workerData;
  // 32 MB of shared buffers instead of initdb's 128 MB: they live in PGlite's WebAssembly memory,
  // which is resident and never returned; measured ~100 MB less resident after 100k inserts. The
  // files are on the local file system, whose page cache still holds what the buffers do not.
  const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];
  pg = dataDir
    ? await PGlite.create(dataDir, { startParams })
    : await PGlite.create(loadDataDir ? { loadDataDir, startParams } : { startParams });
  parentPort.on('message', onMessage);
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'failed', error: toWire(error) });
}
