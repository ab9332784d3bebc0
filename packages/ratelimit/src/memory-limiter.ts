import { randomUUID } from 'node:crypto';
import { budgetTtlMs, isNewPeriod, normalizeChecks } from './checks.ts';
import { rateLimitHeaders, tighter, untilRoomMs, type WindowStat } from './headers.ts';
import {
  type Admission,
  type AdmissionEstimate,
  DEFAULT_MAX_HOLD_MS,
  DEFAULT_WINDOW_MS,
  type LimitCheck,
  type LimiterOptions,
  type RateLimiter,
  type RefusalReason,
  type ScopeUsage,
  type Ticket,
} from './types.ts';

interface WindowEntry {
  t: number;
  tokens: number;
  /** False once the entry left the window or was refunded: its counts are already subtracted. */
  live: boolean;
}

interface BudgetState {
  periodId: string;
  spent: number;
  reserved: number;
  reservations: Map<string, { amount: number; expiresAt: number }>;
  /** Idle counters are dropped (and later reseeded from the database) like the Redis TTL does. */
  expiresAt: number;
}

interface ScopeState {
  entries: WindowEntry[];
  head: number;
  requests: number;
  tokens: number;
  /** ticket id → expiry of the slot. */
  slots: Map<string, number>;
  budget: BudgetState | null;
}

interface Held {
  id: string;
  parts: Array<{ scope: ScopeState; entry: WindowEntry | null; budget: boolean }>;
}

interface Refusal {
  reason: RefusalReason;
  scopeId: string;
  retryMs: number | null;
  current: number;
  limit: number;
}

/**
 * The one-process limiter. Everything happens synchronously inside `admit`, so the check-then-reserve
 * of all scopes is atomic without locks and the counts are exact. Slots and reservations cannot be
 * orphaned by a dead replica here (they die with the process), so their lease is only a safety net
 * against a ticket that is never settled: `maxHoldMs`.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly kind = 'memory' as const;
  readonly #scopes = new Map<string, ScopeState>();
  readonly #held = new Map<string, Held>();
  readonly #now: () => number;
  readonly #windowMs: number;
  readonly #holdMs: number;
  readonly #sweep: NodeJS.Timeout;

  constructor(options: LimiterOptions) {
    this.#now = options.now ?? Date.now;
    this.#windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.#holdMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
    this.#sweep = setInterval(() => this.#sweepIdle(), 60_000);
    this.#sweep.unref();
  }

  async admit(checks: readonly LimitCheck[], estimate: AdmissionEstimate): Promise<Admission> {
    const now = this.#now();
    const list = normalizeChecks(checks);
    const tokens = Math.max(0, Math.ceil(estimate.tokens || 0));
    const worst = Math.max(0, Math.ceil(estimate.worstCostMicros || 0));
    const scopes = list.map((c) => this.#scope(c.id));

    // Phase 1: check every limit of every scope; nothing is reserved yet.
    let refusal: Refusal | null = null;
    let budgetRefusal: Refusal | null = null;
    let reqStat: WindowStat | null = null;
    let tokStat: WindowStat | null = null;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      const s = scopes[i]!;
      this.#prune(s, now);
      if (c.rpm !== null) {
        const stat = { limit: c.rpm, used: s.requests, oldest: oldestLive(s) };
        reqStat = tighter(reqStat, stat);
        if (s.requests >= c.rpm)
          refusal ??= {
            reason: 'rpm',
            scopeId: c.id,
            retryMs: untilRoomMs(stat, now, this.#windowMs),
            current: s.requests,
            limit: c.rpm,
          };
      }
      if (c.tpm !== null) {
        const stat = { limit: c.tpm, used: s.tokens, oldest: oldestLive(s) };
        tokStat = tighter(tokStat, stat);
        if (s.tokens >= c.tpm)
          refusal ??= {
            reason: 'tpm',
            scopeId: c.id,
            retryMs: untilRoomMs(stat, now, this.#windowMs),
            current: s.tokens,
            limit: c.tpm,
          };
      }
      if (c.maxParallel !== null) {
        pruneSlots(s, now);
        if (s.slots.size >= c.maxParallel) {
          refusal ??= {
            reason: 'parallel',
            scopeId: c.id,
            retryMs: 1000,
            current: s.slots.size,
            limit: c.maxParallel,
          };
        }
      }
      if (c.budget !== null) {
        const b = this.#budget(s, c, now);
        const used = b.spent + b.reserved;
        if (used >= c.budget.maxMicros) {
          const reset = c.budget.resetAtMs;
          budgetRefusal ??= {
            reason: 'budget',
            scopeId: c.id,
            retryMs: reset ? Math.max(0, reset - now) : null,
            current: used,
            limit: c.budget.maxMicros,
          };
        }
      }
    }
    // A budget refusal wins: retrying after a rate-limit window would not help.
    const refused = budgetRefusal ?? refusal;
    if (refused) {
      return {
        ok: false,
        reason: refused.reason,
        scopeId: refused.scopeId,
        retryAfterSeconds: refused.retryMs === null ? null : Math.max(1, Math.ceil(refused.retryMs / 1000)),
        current: refused.current,
        limit: refused.limit,
        headers: rateLimitHeaders(reqStat, tokStat, now, this.#windowMs),
      };
    }

    // Phase 2: every check passed; reserve in all scopes.
    const id = randomUUID();
    const held: Held = { id, parts: [] };
    reqStat = null;
    tokStat = null;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      const s = scopes[i]!;
      let entry: WindowEntry | null = null;
      if (c.rpm !== null || c.tpm !== null) {
        entry = { t: now, tokens, live: true };
        s.entries.push(entry);
        s.requests += 1;
        s.tokens += tokens;
        if (c.rpm !== null)
          reqStat = tighter(reqStat, { limit: c.rpm, used: s.requests, oldest: oldestLive(s) });
        if (c.tpm !== null)
          tokStat = tighter(tokStat, { limit: c.tpm, used: s.tokens, oldest: oldestLive(s) });
      }
      if (c.maxParallel !== null) s.slots.set(id, now + this.#holdMs);
      if (c.budget !== null && s.budget) {
        const b = s.budget;
        const amount = Math.min(worst, c.budget.maxMicros - b.spent - b.reserved);
        if (amount > 0) {
          b.reservations.set(id, { amount, expiresAt: now + this.#holdMs });
          b.reserved += amount;
        }
      }
      held.parts.push({ scope: s, entry, budget: c.budget !== null });
    }
    this.#held.set(id, held);
    return { ok: true, ticket: { id }, headers: rateLimitHeaders(reqStat, tokStat, now, this.#windowMs) };
  }

  async settle(ticket: Ticket, actual: { tokens: number; costMicros: number }): Promise<void> {
    const held = this.#take(ticket);
    if (!held) return;
    const tokens = Math.max(0, Math.ceil(actual.tokens || 0));
    const cost = Math.max(0, Math.ceil(actual.costMicros || 0));
    for (const { scope, entry, budget } of held.parts) {
      if (entry?.live) {
        scope.tokens += tokens - entry.tokens;
        entry.tokens = tokens;
      }
      this.#free(scope, held.id);
      // The cost lands in the current period even if the request straddled a reset, as in the
      // database, where its spend row arrives after the reset.
      if (budget && scope.budget) scope.budget.spent += cost;
    }
  }

  async release(ticket: Ticket, options: { refund: boolean }): Promise<void> {
    const held = this.#take(ticket);
    if (!held) return;
    for (const { scope, entry } of held.parts) {
      if (options.refund && entry?.live) {
        entry.live = false;
        scope.requests -= 1;
        scope.tokens -= entry.tokens;
      }
      this.#free(scope, held.id);
    }
  }

  async inspect(scopeId: string): Promise<ScopeUsage> {
    const now = this.#now();
    const s = this.#scopes.get(scopeId);
    if (!s) return { requests: 0, tokens: 0, parallel: 0, spentMicros: null, reservedMicros: null };
    this.#prune(s, now);
    pruneSlots(s, now);
    if (s.budget) pruneReservations(s.budget, now);
    return {
      requests: s.requests,
      tokens: s.tokens,
      parallel: s.slots.size,
      spentMicros: s.budget?.spent ?? null,
      reservedMicros: s.budget?.reserved ?? null,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
  }

  #take(ticket: Ticket): Held | undefined {
    const held = this.#held.get(ticket.id);
    if (held) this.#held.delete(ticket.id);
    return held;
  }

  #free(scope: ScopeState, id: string): void {
    scope.slots.delete(id);
    const b = scope.budget;
    const r = b?.reservations.get(id);
    if (b && r) {
      b.reserved -= r.amount;
      b.reservations.delete(id);
    }
  }

  #scope(id: string): ScopeState {
    let s = this.#scopes.get(id);
    if (!s) {
      s = { entries: [], head: 0, requests: 0, tokens: 0, slots: new Map(), budget: null };
      this.#scopes.set(id, s);
    }
    return s;
  }

  #budget(s: ScopeState, c: LimitCheck, now: number): BudgetState {
    const check = c.budget!;
    const expiresAt = now + budgetTtlMs(check.resetAtMs, now, this.#holdMs);
    if (!s.budget || s.budget.expiresAt <= now || isNewPeriod(s.budget.periodId, check.periodId)) {
      s.budget = {
        periodId: check.periodId,
        spent: Math.max(0, Math.ceil(check.baseSpentMicros)),
        reserved: 0,
        reservations: new Map(),
        expiresAt,
      };
    } else {
      s.budget.expiresAt = expiresAt;
      pruneReservations(s.budget, now);
      // Never count less than the database: it also sees other processes' spend (several workers
      // without Redis) once the key cache refreshes.
      // Only within the same period: a stale cache's spend belongs to the previous one.
      if (s.budget.periodId === check.periodId)
        s.budget.spent = Math.max(s.budget.spent, Math.ceil(check.baseSpentMicros));
    }
    return s.budget;
  }

  /** Drops entries that left the sliding window; each entry is visited once over its lifetime. */
  #prune(s: ScopeState, now: number): void {
    const cutoff = now - this.#windowMs;
    const { entries } = s;
    while (s.head < entries.length && entries[s.head]!.t <= cutoff) {
      const e = entries[s.head]!;
      if (e.live) {
        e.live = false;
        s.requests -= 1;
        s.tokens -= e.tokens;
      }
      s.head += 1;
    }
    if (s.head > 1024 && s.head * 2 > entries.length) {
      s.entries = entries.slice(s.head);
      s.head = 0;
    }
  }

  #sweepIdle(): void {
    const now = this.#now();
    for (const [id, s] of this.#scopes) {
      this.#prune(s, now);
      pruneSlots(s, now);
      if (s.budget && s.budget.expiresAt <= now) s.budget = null;
      if (s.requests === 0 && s.slots.size === 0 && s.budget === null) this.#scopes.delete(id);
    }
  }
}

function oldestLive(s: ScopeState): number | null {
  for (let i = s.head; i < s.entries.length; i++) if (s.entries[i]!.live) return s.entries[i]!.t;
  return null;
}

function pruneSlots(s: ScopeState, now: number): void {
  for (const [id, expiresAt] of s.slots) if (expiresAt <= now) s.slots.delete(id);
}

function pruneReservations(b: BudgetState, now: number): void {
  for (const [id, r] of b.reservations) {
    if (r.expiresAt <= now) {
      b.reserved -= r.amount;
      b.reservations.delete(id);
    }
  }
}
