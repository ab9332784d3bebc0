import type { LimitCheck } from './types.ts';

const minOf = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

/**
 * Drops checks that limit nothing and merges duplicates (the same team reached twice keeps the
 * tighter of each limit), so each scope is counted once per request. Checks that are already in
 * that form (the usual case) come back as they are, without copies: this runs on every request.
 */
export function normalizeChecks(checks: readonly LimitCheck[]): readonly LimitCheck[] {
  if (isNormal(checks)) return checks;
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

/** Whether normalizing would return equal checks: distinct ids, clean limits, each limiting something. */
function isNormal(checks: readonly LimitCheck[]): boolean {
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i]!;
    if (!isClean(c.rpm) || !isClean(c.tpm) || !isClean(c.maxParallel)) return false;
    if (c.budget !== null && !(c.budget && Number.isFinite(c.budget.maxMicros))) return false;
    if (c.rpm === null && c.tpm === null && c.maxParallel === null && c.budget === null) return false;
    for (let j = 0; j < i; j++) if (checks[j]!.id === c.id) return false;
  }
  return true;
}

/** `limit(value) === value`. */
const isClean = (value: number | null): boolean => value === null || (Number.isInteger(value) && value >= 0);

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
