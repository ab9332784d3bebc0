/** LiteLLM budget durations: `30s`, `30m`, `30h`, `30d`, `1mo` (and LiteLLM's `w`). */
const DURATION = /^(\d+)(s|m|h|d|w|mo)$/;

export function isBudgetDuration(value: string): boolean {
  const m = DURATION.exec(value.trim());
  return m !== null && Number(m[1]) > 0;
}

const DAY_MS = 86_400_000;

/**
 * Next budget reset after `from`, aligned to calendar boundaries in UTC the way LiteLLM's
 * `get_next_standardized_reset_time` does (litellm_core_utils/duration_parser.py), so that budgets
 * migrated from LiteLLM reset at the same moments:
 *
 * - `Ns` / `Nm` / `Nh`: the next multiple of N within the minute / hour / day (`30m` at 10:07 →
 *   10:30; `6h` at 07:00 → 12:00); crossing midnight wraps onto the next day, as LiteLLM does
 *   (`30h` at 05:00 → 06:00 the next day).
 * - `1d`: next midnight. `7d` (or `1w`): next Monday at midnight. `30d`: the 1st of next month.
 *   Any other `Nd`: today's midnight + N days.
 * - `Nmo`: the 1st of the month N months ahead at midnight (LiteLLM accepts only `1mo`).
 *
 * @example nextBudgetReset('1mo', new Date('2026-01-15T10:00:00Z')) // → 2026-02-01T00:00:00Z
 */
export function nextBudgetReset(duration: string, from: Date = new Date()): Date {
  const m = DURATION.exec(duration.trim());
  const n = m ? Number(m[1]) : 0;
  if (!m || n <= 0) throw new Error(`invalid budget_duration: ${duration}`);
  const midnight = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const h = from.getUTCHours();
  const min = from.getUTCMinutes();
  const s = from.getUTCSeconds();
  // LiteLLM builds the time of day, then moves to the next day when the hour reaches 24.
  const at = (hour: number, minute: number, second: number) =>
    new Date(
      hour >= 24
        ? midnight + DAY_MS + ((hour % 24) * 3600 + minute * 60 + second) * 1000
        : midnight + (hour * 3600 + minute * 60 + second) * 1000,
    );
  switch (m[2]) {
    case 's': {
      const sec = s + n - (s % n);
      const minute = min + Math.floor(sec / 60);
      return at(h + Math.floor(minute / 60), minute % 60, sec % 60);
    }
    case 'm': {
      const minute = min + n - (min % n);
      return at(h + Math.floor(minute / 60), minute % 60, 0);
    }
    case 'h':
      return at(h + n - (h % n), 0, 0);
    case 'd':
      return dayReset(n, from, midnight);
    case 'w':
      return dayReset(n * 7, from, midnight);
    default:
      return new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + n, 1));
  }
}

function dayReset(days: number, from: Date, midnight: number): Date {
  if (days === 1) return new Date(midnight + DAY_MS);
  if (days === 7) {
    // getUTCDay: Sunday = 0; LiteLLM's weekday(): Monday = 0.
    const untilMonday = (8 - from.getUTCDay()) % 7 || 7;
    return new Date(midnight + untilMonday * DAY_MS);
  }
  if (days === 30) return new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
  return new Date(midnight + days * DAY_MS);
}
