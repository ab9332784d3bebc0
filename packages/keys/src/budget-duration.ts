/** LiteLLM budget durations: `30s`, `30m`, `30h`, `30d`, `1mo`. */
const DURATION = /^(\d+)(s|m|h|d|mo)$/;

export function isBudgetDuration(value: string): boolean {
  const m = DURATION.exec(value);
  return m !== null && Number(m[1]) > 0;
}

/**
 * Next budget reset after `from`. Day and month durations align to calendar boundaries in UTC (as
 * LiteLLM does: `1d` resets at the next midnight, `1mo` on the 1st); seconds, minutes and hours count
 * from `from`.
 */
export function nextBudgetReset(duration: string, from: Date = new Date()): Date {
  const m = DURATION.exec(duration);
  if (!m) throw new Error(`invalid budget_duration: ${duration}`);
  const n = Number(m[1]);
  const unit = m[2];
  switch (unit) {
    case 's':
      return new Date(from.getTime() + n * 1000);
    case 'm':
      return new Date(from.getTime() + n * 60_000);
    case 'h':
      return new Date(from.getTime() + n * 3_600_000);
    case 'd':
      return new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + n));
    default:
      return new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + n, 1));
  }
}
