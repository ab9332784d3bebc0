/** Budget of one scope for the current period. */
export interface BudgetCheck {
  maxMicros: number;
  /**
   * Identifies the budget period (the reset timestamp, or `none`). A new period starts fresh
   * counters seeded from `baseSpentMicros`. When both the stored and the given id are numbers, a
   * smaller id never replaces a larger one: a replica whose key cache still has the previous period
   * must not wipe the counters of the new one.
   */
  periodId: string;
  /**
   * Spend the database has recorded for this period: seeds new counters, and counters never go
   * below it (spend made elsewhere shows up as the key cache refreshes).
   */
  baseSpentMicros: number;
  /** Epoch ms of the next reset (for retry-after and counter expiry); null when it never resets. */
  resetAtMs?: number | null;
}

/** Everything one scope (key, team, user, deployment) limits. Null means no limit of that kind. */
export interface LimitCheck {
  /** e.g. `key:<hash>`, `team:<id>`, `user:<id>`, `deployment:<id>`. */
  id: string;
  rpm: number | null;
  tpm: number | null;
  maxParallel: number | null;
  budget: BudgetCheck | null;
}

/** What the request is expected to use, reserved at admission and corrected when it settles. */
export interface AdmissionEstimate {
  tokens: number;
  worstCostMicros: number;
}

/** Opaque handle of an admitted request: pass it to settle or release exactly once. */
export interface Ticket {
  readonly id: string;
}

/** `x-ratelimit-*` headers of the tightest request and token limits (empty when neither is limited). */
export type RateLimitHeaders = Record<string, string>;

export type RefusalReason = 'rpm' | 'tpm' | 'parallel' | 'budget';

export type Admission =
  | { ok: true; ticket: Ticket; headers: RateLimitHeaders }
  | {
      ok: false;
      reason: RefusalReason;
      /** The id of the check that refused. */
      scopeId: string;
      /** When trying again can help; null for a budget that never resets. */
      retryAfterSeconds: number | null;
      /** What the scope has used (requests, tokens, slots or micro-dollars incl. reservations) and its limit. */
      current: number;
      limit: number;
      headers: RateLimitHeaders;
    };

/** Counters of one scope, for tests and diagnostics. */
export interface ScopeUsage {
  requests: number;
  tokens: number;
  parallel: number;
  spentMicros: number | null;
  reservedMicros: number | null;
}

/**
 * Admission control for rate limits, parallel slots and budgets. One `admit` checks every limit of
 * every scope of a request at once and either reserves all of them or none (a refused request
 * consumes nothing). Every admitted ticket ends with exactly one `settle` or `release`.
 */
export interface RateLimiter {
  readonly kind: 'memory' | 'redis';
  admit(checks: readonly LimitCheck[], estimate: AdmissionEstimate): Promise<Admission>;
  /** The request got an answer: replace the estimates with the real tokens and cost, free the slot. */
  settle(ticket: Ticket, actual: { tokens: number; costMicros: number }): Promise<void>;
  /**
   * The request failed or was aborted: free the slot and drop the budget reservation. With
   * `refund: true` (the upstream was never called) its request and tokens are removed too.
   */
  release(ticket: Ticket, options: { refund: boolean }): Promise<void>;
  /** Current counters of a scope (after expiring old entries). */
  inspect(scopeId: string): Promise<ScopeUsage>;
  close(): Promise<void>;
}

/** The subset of @warden/core's Logger the limiter uses. */
export interface LimiterLogger {
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface LimiterOptions {
  logger: LimiterLogger;
  /** Clock in epoch ms; injectable for tests. Redis uses the server's TIME when not given. */
  now?: () => number;
  /** Sliding window length (SPEC: 60 s). */
  windowMs?: number;
  /** Lease of a parallel slot or budget reservation, renewed while the request runs (Redis). */
  leaseMs?: number;
  /** A ticket older than this stops being renewed, so a leaked ticket cannot hold a slot forever. */
  maxHoldMs?: number;
}

export const DEFAULT_WINDOW_MS = 60_000;
export const DEFAULT_LEASE_MS = 90_000;
export const DEFAULT_MAX_HOLD_MS = 30 * 60_000;
