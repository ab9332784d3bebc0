import type { Worker } from 'node:worker_threads';
import type { QueryOptions, Results } from '@electric-sql/pglite';
import type { Logger } from './logger.ts';
import type { PgliteClient, PgliteTx } from './pglite-client.ts';
import {
  applyParsers,
  type Call,
  fromWireError,
  type Reply,
  toWireOptions,
  type WireError,
} from './pglite-worker-wire.ts';

/** How long `close()` waits for PGlite to finish queued statements and shut down cleanly. */
const CLOSE_TIMEOUT_MS = 15_000;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** The statement, so a Postgres error carries it as PGlite's own errors do. */
  call?: { text: string; params?: unknown[]; options?: QueryOptions };
}

/**
 * The main-thread end of the worker: the PGlite surface drizzle and `wrapPglite` use, each call a
 * message answered by the worker. Interactive transactions stay open in the worker while their
 * callback runs here; statements outside them queue behind them on PGlite's own mutex, as in-process.
 */
export class PgliteWorkerClient implements PgliteClient {
  /** The thread itself (tests kill it to check crash handling). */
  readonly worker: Worker;
  readonly #logger: Logger | undefined;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<number, (payload: string) => void>();
  /** Transactions begun and not yet ended: the only calls still accepted while closing. */
  readonly #openTx = new Set<number>();
  #nextId = 1;
  #state: 'open' | 'closing' | 'closed' | 'dead' = 'open';
  #deadError: Error | undefined;
  #closing: Promise<void> | undefined;

  constructor(worker: Worker, logger?: Logger) {
    this.worker = worker;
    this.#logger = logger;
    // An idle worker must not keep the process alive (in-process PGlite never did); it is ref'd
    // while a call is outstanding so that awaiting a query does keep it alive.
    worker.unref();
    worker.on('message', (msg: Reply) => this.#onMessage(msg));
    worker.on('error', (error) => this.#die(error));
    worker.on('exit', (code) => this.#die(new Error(`exit code ${code}`)));
  }

  /** False once the worker has stopped (crashed or closed): every call then fails at once. */
  get alive(): boolean {
    return this.#state === 'open' || this.#state === 'closing';
  }

  query<T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    return this.runQuery(undefined, text, params, options);
  }

  exec(text: string, options?: QueryOptions): Promise<Results[]> {
    return this.runExec(undefined, text, options);
  }

  async transaction<T>(callback: (tx: PgliteTx) => Promise<T>): Promise<T> {
    const txId = this.#nextId++;
    await this.#send({ op: 'begin', txId });
    this.#openTx.add(txId);
    const tx = new WorkerTx(this, txId);
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      tx.closed = true;
      await this.#endTx(txId, false);
      throw error;
    }
    tx.closed = true;
    await this.#endTx(txId, true);
    return result;
  }

  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    const listenId = this.#nextId++;
    this.#listeners.set(listenId, callback);
    try {
      await this.#send({ op: 'listen', channel, listenId });
    } catch (error) {
      this.#listeners.delete(listenId);
      throw error;
    }
    return async () => {
      if (!this.#listeners.delete(listenId) || this.#state !== 'open') return;
      await this.#send({ op: 'unlisten', listenId });
    };
  }

  /**
   * Lets PGlite finish what is queued and shut down (flushing its files), then stops the thread.
   * A transaction still open may finish; new calls are refused. Bounded: a stuck worker is killed.
   */
  close(): Promise<void> {
    if (this.#state === 'dead' || this.#state === 'closed') return Promise.resolve();
    if (this.#closing) return this.#closing;
    this.#closing = (async () => {
      const sent = this.#send({ op: 'close' });
      this.#state = 'closing';
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          sent,
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`not closed within ${CLOSE_TIMEOUT_MS} ms`)),
              CLOSE_TIMEOUT_MS,
            );
          }),
        ]);
      } catch (error) {
        this.#logger?.error('embedded database did not close cleanly', { error: String(error) });
      } finally {
        clearTimeout(timer);
        this.#state = 'closed';
        await this.worker.terminate();
        this.#rejectAll(new Error('PGlite is closed'));
      }
    })();
    return this.#closing;
  }

  /** @internal `query` on the database (`txId` undefined) or inside an open transaction. */
  async runQuery<T>(
    txId: number | undefined,
    text: string,
    params: unknown[],
    options: QueryOptions | undefined,
  ): Promise<Results<T>> {
    const wire = toWireOptions(options);
    const result = (await this.#send(
      { op: 'query', txId, text, params, options: wire },
      { text, params, options },
    )) as Results<T>;
    applyParsers(result, options);
    return result;
  }

  /** @internal `exec` on the database (`txId` undefined) or inside an open transaction. */
  async runExec(
    txId: number | undefined,
    text: string,
    options: QueryOptions | undefined,
  ): Promise<Results[]> {
    const wire = toWireOptions(options);
    const results = (await this.#send(
      { op: 'exec', txId, text, options: wire },
      { text, options },
    )) as Results[];
    for (const result of results) applyParsers(result, options);
    return results;
  }

  /** @internal */
  async rollbackTx(txId: number): Promise<void> {
    await this.#send({ op: 'rollback', txId });
  }

  async #endTx(txId: number, commit: boolean): Promise<void> {
    try {
      await this.#send({ op: 'end', txId, commit });
    } finally {
      this.#openTx.delete(txId);
    }
  }

  #send(call: Call, context?: Pending['call']): Promise<unknown> {
    if (this.#state === 'dead') return Promise.reject(this.#deadError);
    // While closing, only transactions already open may go on (PGlite's close() waits for them).
    const inOpenTx = 'txId' in call && call.txId !== undefined && this.#openTx.has(call.txId);
    if (this.#state === 'closed' || (this.#state === 'closing' && !inOpenTx))
      return Promise.reject(new Error('PGlite is closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      try {
        // Throws for a value structured clone cannot copy (a function, a symbol): that call fails.
        this.worker.postMessage({ ...call, id });
      } catch (error) {
        reject(error as Error);
        return;
      }
      if (this.#pending.size === 0) this.worker.ref();
      this.#pending.set(id, { resolve, reject, ...(context ? { call: context } : {}) });
    });
  }

  #onMessage(msg: Reply): void {
    if (msg.type === 'notification') {
      this.#listeners.get(msg.listenId)?.(msg.payload);
      return;
    }
    if (msg.type !== 'reply') return;
    const pending = this.#pending.get(msg.id);
    if (!pending) return;
    this.#pending.delete(msg.id);
    if (this.#pending.size === 0) this.worker.unref();
    if (msg.ok) pending.resolve(msg.value);
    else pending.reject(fromWireError(msg.error as WireError, pending.call));
  }

  /** The thread stopped: unexpected unless we were closing. Everything outstanding fails now. */
  #die(reason: Error): void {
    if (this.#state === 'dead' || this.#state === 'closed') return;
    this.#state = 'dead';
    this.#deadError = new Error(`the embedded database worker stopped unexpectedly (${reason.message})`, {
      cause: reason,
    });
    this.#logger?.error('embedded database worker stopped', { error: String(reason) });
    this.#rejectAll(this.#deadError);
  }

  #rejectAll(error: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#listeners.clear();
    for (const p of pending) p.reject(error);
  }
}

/** A transaction's handle in this thread: its statements are tagged with its id. */
class WorkerTx implements PgliteTx {
  closed = false;
  readonly #client: PgliteWorkerClient;
  readonly #txId: number;

  constructor(client: PgliteWorkerClient, txId: number) {
    this.#client = client;
    this.#txId = txId;
  }

  async query<T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    this.#checkOpen();
    return this.#client.runQuery(this.#txId, text, params, options);
  }

  async exec(text: string, options?: QueryOptions): Promise<Results[]> {
    this.#checkOpen();
    return this.#client.runExec(this.#txId, text, options);
  }

  async rollback(): Promise<void> {
    this.#checkOpen();
    await this.#client.rollbackTx(this.#txId);
    this.closed = true;
  }

  #checkOpen(): void {
    if (this.closed) throw new Error('Transaction is closed');
  }
}
