import type { SpendRow } from './spend-row.ts';

export interface SpendSinkStats {
  /** Rows held in memory (waiting or being written). */
  queued: number;
  /** Rows confirmed in the database (inserted now, or found already there after a retry). */
  written: number;
  /** Rows written to a spill file because the database was unreachable. */
  spilled: number;
  /** Rows replayed from spill files into the database. */
  replayed: number;
  /** Rows that could not be written anywhere: counted, and logged at error level with their content. */
  failed: number;
  /** Spill files waiting to be replayed. */
  pendingSpillFiles: number;
  /** False while the last write attempt failed for lack of a database. */
  healthy: boolean;
}

export interface SpendSinkCloseOptions {
  /** Longest wait for the final flush before the remaining rows are spilled (default 5000 ms). */
  timeoutMs?: number;
}

/**
 * Where finished requests' spend rows go. `push` is the only call on the request path: synchronous,
 * O(1), never throws, never waits for I/O. Writing happens in batches in the background.
 */
export interface SpendSink {
  push(row: SpendRow): void;
  /** Writes everything queued now; rejects (rows stay queued and are retried) if the database is down. */
  flush(): Promise<void>;
  /** Final flush; with the database down the rows go to the spill file instead. Never rejects. */
  close(options?: SpendSinkCloseOptions): Promise<void>;
  stats(): SpendSinkStats;
}
