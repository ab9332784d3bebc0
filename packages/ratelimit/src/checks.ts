import type { LimitCheck } from './types.ts';

const minOf = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

/**
 * Drops checks that limit nothing and merges duplicates (the same team reached twice keeps the
 * tighter of each limit), so each scope is counted once per request.
 */
export function normalizeChecks(checks: readonly LimitCheck[]): LimitCheck[] {
  const byId = new Map<string, LimitCheck>();
  for (const c of checks) {
    const clean: LimitCheck = {
      id: c.id,
      rpm: limit(c.rpm),
      tpm: limit(c.tpm),
      maxParallel: limit(c.maxParallel),
      budget: c.budget && Number.isFinite(c.budget.maxMicros) ? c.budget : null,
    };
    const prev = byId.get(c.id);
    if (!prev) {
      byId.set(c.id, clean);
      continue;
    }
    byId.set(c.id, {
      id: c.id,
      rpm: minOf(prev.rpm, clean.rpm),
      tpm: minOf(prev.tpm, clean.tpm),
      maxParallel: minOf(prev.maxParallel, clean.maxParallel),
      budget: !prev.budget
        ? clean.budget
        : !clean.budget
          ? prev.budget
          : prev.budget.maxMicros <= clean.budget.maxMicros
            ? prev.budget
            : clean.budget,
    });
  }
  return [...byId.values()].filter(
    (c) => c.rpm !== null || c.tpm !== null || c.maxParallel !== null || c.budget !== null,
  );
}

function limit(value: number | null): number | null {
  return value === null || !Number.isFinite(value) || value < 0 ? null : Math.floor(value);
}

/** Whether a stored budget period must give way to the given one (see BudgetCheck.periodId). */
export function isNewPeriod(stored: string, given: string): boolean {
  if (stored === given) return false;
  const s = Number(stored);
  const g = Number(given);
  if (stored !== '' && given !== '' && Number.isFinite(s) && Number.isFinite(g) && g < s) return false;
  return true;
}

/** How long budget counters live in Redis: past the reset (then a new period reseeds), else a day idle. */
export function budgetTtlMs(resetAtMs: number | null | undefined, now: number, leaseMs: number): number {
  const idle = 24 * 3600_000;
  const ttl = resetAtMs ? Math.max(0, resetAtMs - now) + 3600_000 : idle;
  return Math.max(ttl, leaseMs * 2);
}
