import type { SpendRow } from './spend-row.ts';

/**
 * The storage step under a batching sink: insert rows idempotently (`ON CONFLICT (id) DO NOTHING`)
 * and, in the same transaction, add the cost of the rows actually inserted to the key, team and user
 * totals. Returns how many rows were new. A replayed batch therefore never counts twice.
 */
export interface SpendStore {
  write(rows: readonly SpendRow[]): Promise<number>;
}

/**
 * True when retrying cannot help: the database answered and refused this data (SQLSTATE class 22,
 * data exception, or 23, integrity violation). Everything else (connection refused, reset, timeout,
 * a missing table before migrations ran) is treated as the database being unavailable: retried.
 */
export function isPermanentWriteError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
      return code.startsWith('22') || code.startsWith('23');
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
