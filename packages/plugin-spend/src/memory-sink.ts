import type { BatchingSinkOptions } from './batching-sink.ts';
import { BatchingSpendSink } from './batching-sink.ts';
import { MemorySpendStore } from './memory-store.ts';

/**
 * The in-memory SpendSink for one process and for tests: the real batching writer over a memory
 * store (`sink.store` exposes rows and totals).
 */
export function createMemorySpendSink(
  options: Omit<BatchingSinkOptions, 'store'> & { store?: MemorySpendStore } = {},
): BatchingSpendSink & { store: MemorySpendStore } {
  const store = options.store ?? new MemorySpendStore();
  return Object.assign(new BatchingSpendSink({ ...options, store }), { store });
}
