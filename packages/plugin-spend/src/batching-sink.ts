import { appendFileSync, mkdirSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@warden/core';
import { createLogger } from '@warden/core';
import { appendSpill, findSpills, readSpill, removeSpill, spillFileName } from './spill-file.ts';
import type { SpendRow } from './spend-row.ts';
import type { SpendSink, SpendSinkCloseOptions, SpendSinkStats } from './spend-sink.ts';
import type { SpendStore } from './spend-store.ts';
import { isPermanentWriteError } from './spend-store.ts';

export interface BatchingSinkOptions {
  store: SpendStore;
  logger?: Logger;
  /** Where spill files live (`WARDEN_DATA_DIR`). Without it nothing can be spilled: rows stay in memory. */
  dataDir?: string | null;
  /** Longest time a row waits before its batch is written (default 200 ms; SPEC: visible within 2 s). */
  flushIntervalMs?: number;
  /** A batch is written as soon as this many rows wait (default 500). */
  batchSize?: number;
  /** Rows held in memory while the database is down before they go to the spill file (default 10,000). */
  maxQueued?: number;
  /** First retry delay after a failed write; doubles up to `retryMaxMs` (defaults 100 ms and 2000 ms). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A write that has not answered by then counts as failed and is retried (default 10 s). */
  writeTimeoutMs?: number;
  /** Replay spill files left by earlier runs (default true). */
  replaySpills?: boolean;
}

class WriteTimeout extends Error {
  constructor(ms: number) {
    super(`spend write did not answer within ${ms} ms`);
    this.name = 'WriteTimeout';
  }
}

/** The database went away while bad rows were being isolated: `remaining` still need writing. */
class PartialWrite extends Error {
  readonly remaining: readonly SpendRow[];
  constructor(cause: unknown, remaining: readonly SpendRow[]) {
    super(errorText(cause), { cause });
    this.name = 'PartialWrite';
    this.remaining = remaining;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * The spend writer. Rows wait in an in-memory queue and one background worker writes them in
 * batches (one at a time, so that replicas' transactions touch totals in a steady rhythm and a batch
 * is never written twice concurrently by the same process). When the database is unreachable the
 * worker backs off exponentially and rows keep queueing; past `maxQueued` they are appended to a
 * spill file (JSONL, fsynced) and replayed when the database answers again, or at the next start.
 *
 * Exactly-once comes from the store: every row carries its UUIDv7 id and inserts are
 * `ON CONFLICT (id) DO NOTHING`, totals being computed from the rows actually inserted. So a batch
 * whose commit we could not confirm (timeout, cut connection) is simply written again.
 */
export class BatchingSpendSink implements SpendSink {
  readonly #store: SpendStore;
  readonly #logger: Logger;
  readonly #dataDir: string | null;
  readonly #interval: number;
  readonly #batchSize: number;
  readonly #maxQueued: number;
  readonly #retryBase: number;
  readonly #retryMax: number;
  readonly #writeTimeout: number;

  #queue: SpendRow[] = [];
  #inflight: readonly SpendRow[] = [];
  #timer: NodeJS.Timeout | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #backoff = 0;
  #down = false;
  #closed = false;
  /** Serializes the worker: every drain and spill runs after the previous one. */
  #tail: Promise<void> = Promise.resolve();
  #drainQueued = false;
  #spillQueued = false;
  #spillPath: string | null = null;
  readonly #pendingSpills = new Set<string>();
  #written = 0;
  #spilled = 0;
  #replayed = 0;
  #failed = 0;

  constructor(options: BatchingSinkOptions) {
    this.#store = options.store;
    this.#logger = options.logger ?? createLogger({ level: 'warn' });
    this.#dataDir = options.dataDir ?? null;
    this.#interval = options.flushIntervalMs ?? 200;
    this.#batchSize = options.batchSize ?? 500;
    this.#maxQueued = options.maxQueued ?? 10_000;
    this.#retryBase = options.retryBaseMs ?? 100;
    this.#retryMax = options.retryMaxMs ?? 2000;
    this.#writeTimeout = options.writeTimeoutMs ?? 10_000;
    if (this.#interval > 500)
      throw new RangeError('flushIntervalMs must be at most 500 ms (spend is visible within 2 s)');
    if (this.#batchSize < 1 || this.#maxQueued < this.#batchSize)
      throw new RangeError('need 1 <= batchSize <= maxQueued');
    if (this.#dataDir !== null && options.replaySpills !== false) {
      for (const path of findSpills(this.#dataDir)) this.#pendingSpills.add(path);
      if (this.#pendingSpills.size > 0) {
        this.#logger.info('spend: replaying spill files', { files: [...this.#pendingSpills] });
        this.#scheduleDrain();
      }
    }
  }

  push(row: SpendRow): void {
    if (this.#closed) {
      this.#afterClose(row);
      return;
    }
    this.#queue.push(row);
    if (this.#down) {
      // The retry timer drives writes while the database is down; only memory needs watching.
      if (this.#queue.length >= this.#maxQueued && this.#dataDir !== null) this.#scheduleSpill();
      return;
    }
    if (this.#queue.length >= this.#batchSize) this.#scheduleDrain();
    else if (this.#timer === null) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#scheduleDrain();
      }, this.#interval);
      this.#timer.unref();
    }
  }

  flush(): Promise<void> {
    const run = this.#tail.then(() => this.#drain());
    this.#tail = run.catch(() => {});
    return run;
  }

  async close(options: SpendSinkCloseOptions = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimers();
    const timeoutMs = options.timeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([
      this.flush().then(
        () => 'ok' as const,
        () => 'down' as const,
      ),
      deadline,
    ]);
    clearTimeout(timer);
    if (outcome === 'ok' && this.#queue.length === 0) return;
    // The database did not take everything. A batch still in flight may yet commit: spilling it
    // too is safe, since its replay is a no-op for ids already inserted.
    const rest = [...this.#inflight, ...this.#queue];
    this.#queue = [];
    this.#inflight = [];
    this.#logger.warn('spend: database unavailable at close, spilling rows', { rows: rest.length, outcome });
    this.#spillSync(rest);
  }

  stats(): SpendSinkStats {
    return {
      queued: this.#queue.length + this.#inflight.length,
      written: this.#written,
      spilled: this.#spilled,
      replayed: this.#replayed,
      failed: this.#failed,
      pendingSpillFiles: this.#pendingSpills.size,
      healthy: !this.#down,
    };
  }

  #scheduleDrain(): void {
    if (this.#drainQueued) return;
    this.#drainQueued = true;
    this.#tail = this.#tail
      .then(() => {
        this.#drainQueued = false;
        return this.#drain();
      })
      .catch(() => {});
  }

  #scheduleSpill(): void {
    if (this.#spillQueued) return;
    this.#spillQueued = true;
    this.#tail = this.#tail.then(() => {
      this.#spillQueued = false;
      return this.#spillQueue();
    });
  }

  #clearTimers(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#timer = null;
    this.#retryTimer = null;
  }

  /** Writes the queue, then any pending spill files. Throws (after arranging a retry) if the database is down. */
  async #drain(): Promise<void> {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    while (this.#queue.length > 0) {
      const batch =
        this.#queue.length <= this.#batchSize ? this.#queue : this.#queue.slice(0, this.#batchSize);
      this.#queue = batch === this.#queue ? [] : this.#queue.slice(this.#batchSize);
      this.#inflight = batch;
      try {
        await this.#writeBatch(batch);
      } catch (err) {
        // Unavailable: put the unwritten rows back in front, in order, and retry later.
        const back = err instanceof PartialWrite ? err.remaining : batch;
        this.#queue = this.#queue.length === 0 ? [...back] : back.concat(this.#queue);
        this.#inflight = [];
        const cause = err instanceof PartialWrite ? err.cause : err;
        await this.#onDown(cause);
        throw cause;
      }
      this.#inflight = [];
      this.#onUp();
    }
    for (const path of [...this.#pendingSpills]) {
      try {
        await this.#replay(path);
      } catch (err) {
        const cause = err instanceof PartialWrite ? err.cause : err;
        await this.#onDown(cause);
        throw cause;
      }
      this.#onUp();
    }
  }

  /** Writes one batch; rows the database refuses outright are isolated, counted and logged. */
  async #writeBatch(batch: readonly SpendRow[]): Promise<void> {
    try {
      await this.#write(batch);
      this.#written += batch.length;
    } catch (err) {
      if (!isPermanentWriteError(err)) throw err;
      if (batch.length === 1) {
        this.#failed++;
        this.#logger.error('spend: row refused by the database, dropped', {
          error: errorText(err),
          row: batch[0],
        });
        return;
      }
      // Find the bad rows one by one so that the good ones in the same batch still land.
      for (let i = 0; i < batch.length; i++) {
        try {
          await this.#writeBatch([batch[i]!]);
        } catch (inner) {
          // Unavailable mid-way: only the rows not yet handled need another attempt.
          throw new PartialWrite(inner, batch.slice(i));
        }
      }
    }
  }

  async #write(batch: readonly SpendRow[]): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WriteTimeout(this.#writeTimeout)), this.#writeTimeout);
    });
    try {
      return await Promise.race([this.#store.write(batch), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #replay(path: string): Promise<void> {
    // Rows spilled from now on go to a new file: this one is removed once replayed, and rows
    // appended to it after the read below would go with it.
    if (path === this.#spillPath) this.#spillPath = null;
    const { rows, bad } = await readSpill(path);
    for (const line of bad) {
      this.#failed++;
      this.#logger.error('spend: unreadable line in spill file, dropped', { file: path, line });
    }
    for (let i = 0; i < rows.length; i += this.#batchSize) {
      const batch = rows.slice(i, i + this.#batchSize);
      // A failure part-way leaves the file in place; its rows already written are no-ops next time.
      await this.#writeBatch(batch);
      this.#replayed += batch.length;
    }
    await removeSpill(path);
    this.#pendingSpills.delete(path);
    this.#logger.info('spend: spill file replayed', { file: path, rows: rows.length });
  }

  async #onDown(err: unknown): Promise<void> {
    if (!this.#down)
      this.#logger.warn('spend: database unavailable, rows wait in memory', { error: errorText(err) });
    this.#down = true;
    if (this.#queue.length >= this.#maxQueued && this.#dataDir !== null) await this.#spillQueue();
    if (this.#closed) return;
    this.#backoff = this.#backoff === 0 ? this.#retryBase : Math.min(this.#backoff * 2, this.#retryMax);
    const delay = this.#backoff / 2 + Math.random() * (this.#backoff / 2);
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#scheduleDrain();
    }, delay);
    this.#retryTimer.unref();
  }

  #onUp(): void {
    if (this.#down) this.#logger.info('spend: database reachable again', { queued: this.#queue.length });
    this.#down = false;
    this.#backoff = 0;
  }

  #ensureSpillPath(): string {
    if (this.#dataDir === null) throw new Error('no dataDir');
    if (this.#spillPath === null) {
      mkdirSync(this.#dataDir, { recursive: true });
      this.#spillPath = join(this.#dataDir, spillFileName());
    }
    return this.#spillPath;
  }

  /** Moves the whole in-memory queue to the spill file (database down, memory bound reached). */
  async #spillQueue(): Promise<void> {
    if (this.#dataDir === null || this.#queue.length < this.#maxQueued || !this.#down) return;
    const rows = this.#queue;
    this.#queue = [];
    let path = '(none)';
    try {
      path = this.#ensureSpillPath();
      await appendSpill(path, rows);
      this.#spilled += rows.length;
      this.#pendingSpills.add(path);
      this.#logger.warn('spend: queue bound reached, rows spilled to disk', {
        rows: rows.length,
        file: path,
      });
    } catch (err) {
      // The disk refused too: keep the rows in memory (they are only lost if the process dies now).
      this.#queue = rows.concat(this.#queue);
      this.#logger.error('spend: cannot write spill file; rows stay in memory', {
        error: errorText(err),
        file: path,
      });
    }
  }

  /**
   * Synchronous spill for close and for rows pushed after close: at that point the process is about
   * to exit and an async write could be cut short.
   */
  #spillSync(rows: readonly SpendRow[]): void {
    if (rows.length === 0) return;
    if (this.#dataDir === null) {
      this.#fail(rows, 'no data dir to spill to');
      return;
    }
    try {
      const path = this.#ensureSpillPath();
      let text = '';
      for (const row of rows) text += `${JSON.stringify(row)}\n`;
      const fd = openSync(path, 'a', 0o600);
      try {
        appendFileSync(fd, text, 'utf8');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      this.#spilled += rows.length;
      this.#pendingSpills.add(path);
    } catch (err) {
      this.#fail(rows, errorText(err));
    }
  }

  #fail(rows: readonly SpendRow[], reason: string): void {
    this.#failed += rows.length;
    // The rows themselves go to the error log: the last place an operator can recover them from.
    for (const row of rows) this.#logger.error('spend: row could not be written or spilled', { reason, row });
  }

  #afterClose(row: SpendRow): void {
    this.#logger.warn('spend: row pushed after close, spilling it');
    this.#spillSync([row]);
  }
}
