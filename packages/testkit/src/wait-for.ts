/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 5000). */
  timeoutMs?: number;
  /** Poll interval (default 25). */
  intervalMs?: number;
  /** Included in the timeout error. */
  message?: string;
}

/**
 * Poll `fn` until it returns a truthy value (which is returned) or stops throwing; on timeout,
 * reject with the last error seen, so a failing assertion inside `fn` explains itself.
 *
 * @example
 * await waitFor(() => mock.requests[0]?.aborted);
 * const row = await waitFor(async () => (await db.select().from(spend))[0]);
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  opts: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const intervalMs = opts.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const what = opts.message ? `: ${opts.message}` : '';
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`waitFor timed out after ${timeoutMs}ms${what}${cause}`, { cause: lastError });
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
