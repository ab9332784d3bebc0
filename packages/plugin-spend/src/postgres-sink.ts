import type { Database } from '@warden/db';
import type { BatchingSinkOptions } from './batching-sink.ts';
import { BatchingSpendSink } from './batching-sink.ts';
import { PostgresSpendStore } from './postgres-store.ts';

/**
 * The production SpendSink: the batching writer over `spend_logs` through @warden/db (PGlite or
 * postgres.js). `dataDir` is `WARDEN_DATA_DIR`: spill files go there and are replayed on start.
 *
 * @example
 * const sink = createPostgresSpendSink({ database, dataDir: process.env.WARDEN_DATA_DIR ?? './.warden', logger });
 * // on SIGTERM, after in-flight requests: await sink.close();
 */
export function createPostgresSpendSink(
  options: Omit<BatchingSinkOptions, 'store'> & { database: Database },
): BatchingSpendSink {
  const { database, ...rest } = options;
  return new BatchingSpendSink({ ...rest, store: new PostgresSpendStore(database) });
}
