import type { Logger as DrizzleLogger } from 'drizzle-orm';

/** Counts every query drizzle sends (transactions included): the "cached key costs no query" probe. */
export function createQueryCounter(): DrizzleLogger & { count: number } {
  const counter = {
    count: 0,
    logQuery() {
      counter.count++;
    },
  };
  return counter;
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
