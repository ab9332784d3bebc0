import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { normalizeChecks } from './checks.ts';
import { rateLimitHeaders, type WindowStat } from './headers.ts';
import { RedisScript } from './redis-script.ts';
import { ADMIT_LUA, FINISH_LUA, INSPECT_LUA, RENEW_LUA } from './redis-scripts.ts';
import {
  type Admission,
  type AdmissionEstimate,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_HOLD_MS,
  DEFAULT_WINDOW_MS,
  type LimitCheck,
  type LimiterLogger,
  type LimiterOptions,
  type RateLimiter,
  type RefusalReason,
  type ScopeUsage,
  type Ticket,
} from './types.ts';

/**
 * A healthy Redis answers in well under a millisecond. The bound also covers commands queued while
 * Redis is unreachable (a blackholed host, not only a refused connection), and is below the 1 s hook
 * timeout, so the limits plugin answers (fail closed, or open when configured) before the hook times out.
 */
const COMMAND_TIMEOUT_MS = 500;

const admitScript = new RedisScript(ADMIT_LUA);
const finishScript = new RedisScript(FINISH_LUA);
const renewScript = new RedisScript(RENEW_LUA);
const inspectScript = new RedisScript(INSPECT_LUA);

interface HeldScope {
  base: string;
  window: boolean;
  parallel: boolean;
  budget: boolean;
}

interface Held {
  id: string;
  scopes: HeldScope[];
  admittedAt: number;
}

export interface RedisLimiterOptions extends LimiterOptions {
  /** An ioredis client, or a URL to create one (then closed by `close()`). */
  redis: Redis | string;
  /** Prefix of every key, to share one Redis between deployments (and tests). */
  prefix?: string;
}

/**
 * The limiter shared by replicas. Counters live in Redis and each admit/settle/release is a single
 * Lua script over all the request's scopes, so limits hold exactly across replicas. Parallel slots
 * and budget reservations are leases: this replica renews the leases of its requests in flight every
 * lease/3; when it dies they expire and the slots and reserved money come back.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly kind = 'redis' as const;
  readonly #redis: Redis;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #now: (() => number) | null;
  readonly #windowMs: number;
  readonly #leaseMs: number;
  readonly #holdMs: number;
  readonly #logger: LimiterLogger;
  readonly #held = new Map<string, Held>();
  readonly #heartbeat: NodeJS.Timeout;
  #renewing = false;

  constructor(options: RedisLimiterOptions) {
    this.#ownsClient = typeof options.redis === 'string';
    this.#redis =
      typeof options.redis === 'string'
        ? new Redis(options.redis, {
            maxRetriesPerRequest: 2,
            enableAutoPipelining: true,
            commandTimeout: COMMAND_TIMEOUT_MS,
          })
        : options.redis;
    if (this.#ownsClient) {
      // Without a listener ioredis prints every reconnect failure as an unhandled error event.
      this.#redis.on('error', (err: unknown) => options.logger.warn('rate limiter redis error', { err }));
    }
    this.#prefix = options.prefix ?? 'warden:rl';
    this.#now = options.now ?? null;
    this.#windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#holdMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
    this.#logger = options.logger;
    this.#heartbeat = setInterval(() => void this.#renew(), Math.max(50, Math.floor(this.#leaseMs / 3)));
    this.#heartbeat.unref();
  }

  async admit(checks: readonly LimitCheck[], estimate: AdmissionEstimate): Promise<Admission> {
    const list = normalizeChecks(checks);
    const id = randomUUID();
    // Nothing limits this request: no round trip (settle/release of this ticket are no-ops).
    if (list.length === 0) return { ok: true, ticket: { id }, headers: {} };
    const keys: string[] = [];
    const args: Array<string | number> = [
      this.#clock(),
      id,
      Math.max(0, Math.ceil(estimate.tokens || 0)),
      Math.max(0, Math.ceil(estimate.worstCostMicros || 0)),
      this.#windowMs,
      this.#leaseMs,
      list.length,
    ];
    for (const c of list) {
      keys.push(...this.#keys(c.id));
      args.push(
        c.rpm ?? -1,
        c.tpm ?? -1,
        c.maxParallel ?? -1,
        c.budget ? Math.floor(c.budget.maxMicros) : -1,
        c.budget?.periodId ?? '',
        c.budget ? Math.max(0, Math.ceil(c.budget.baseSpentMicros)) : 0,
        c.budget?.resetAtMs ?? -1,
      );
    }
    const out = (await admitScript.run(this.#redis, keys, args)) as Array<number | string>;
    const now = Number(out[1]);
    const req = stat(out, 2);
    const tok = stat(out, 5);
    const headers = rateLimitHeaders(req, tok, now, this.#windowMs);
    if (out[0] === 1) {
      this.#held.set(id, {
        id,
        admittedAt: Date.now(),
        scopes: list.map((c) => ({
          base: this.#base(c.id),
          window: c.rpm !== null || c.tpm !== null,
          parallel: c.maxParallel !== null,
          budget: c.budget !== null,
        })),
      });
      return { ok: true, ticket: { id }, headers };
    }
    const retryMs = Number(out[10]);
    return {
      ok: false,
      reason: String(out[8]) as RefusalReason,
      scopeId: list[Number(out[9]) - 1]!.id,
      retryAfterSeconds: retryMs < 0 ? null : Math.max(1, Math.ceil(retryMs / 1000)),
      current: Number(out[11]),
      limit: Number(out[12]),
      headers,
    };
  }

  settle(ticket: Ticket, actual: { tokens: number; costMicros: number }): Promise<void> {
    return this.#finish(ticket, 'settle', actual.tokens, actual.costMicros);
  }

  release(ticket: Ticket, options: { refund: boolean }): Promise<void> {
    return this.#finish(ticket, options.refund ? 'refund' : 'release', 0, 0);
  }

  async inspect(scopeId: string): Promise<ScopeUsage> {
    const out = (await inspectScript.run(this.#redis, this.#keys(scopeId), [
      this.#clock(),
      this.#windowMs,
    ])) as Array<number | string>;
    const money = (v: unknown) => (v === '-' || v === undefined ? null : Number(v));
    return {
      requests: Number(out[0]),
      tokens: Number(out[1]),
      parallel: Number(out[2]),
      spentMicros: money(out[3]),
      reservedMicros: money(out[4]),
    };
  }

  /**
   * Stops renewing leases and disconnects. Tickets still held are NOT released: a graceful shutdown
   * drains requests first, and whatever is left expires with its lease like a crashed replica's.
   */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    this.#held.clear();
    if (this.#ownsClient) await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  async #finish(
    ticket: Ticket,
    mode: 'settle' | 'release' | 'refund',
    tokens: number,
    cost: number,
  ): Promise<void> {
    const held = this.#held.get(ticket.id);
    if (!held) return; // settled or released already: each ticket counts once
    this.#held.delete(ticket.id);
    const keys = held.scopes.flatMap((s) => this.#keysOf(s.base));
    const args: Array<string | number> = [
      this.#clock(),
      held.id,
      mode,
      Math.max(0, Math.ceil(tokens || 0)),
      Math.max(0, Math.ceil(cost || 0)),
      held.scopes.length,
      ...held.scopes.map((s) => `${s.window ? 1 : 0}${s.parallel ? 1 : 0}${s.budget ? 1 : 0}`),
    ];
    await finishScript.run(this.#redis, keys, args);
  }

  /** One script call renews every lease this replica holds. */
  async #renew(): Promise<void> {
    if (this.#renewing || this.#held.size === 0) return;
    this.#renewing = true;
    try {
      const oldest = Date.now() - this.#holdMs;
      const keys: string[] = [];
      const args: Array<string | number> = [this.#clock(), this.#leaseMs];
      for (const held of this.#held.values()) {
        if (held.admittedAt < oldest) continue; // leaked ticket: let its lease run out
        for (const s of held.scopes) {
          if (s.parallel) {
            keys.push(`${s.base}:p`);
            args.push(held.id, 'p');
          }
          if (s.budget) {
            keys.push(`${s.base}:bz`);
            args.push(held.id, 'b');
          }
        }
      }
      if (keys.length > 0) await renewScript.run(this.#redis, keys, args);
    } catch (err) {
      this.#logger.warn('rate limiter lease renewal failed', { err });
    } finally {
      this.#renewing = false;
    }
  }

  #clock(): number {
    return this.#now ? Math.floor(this.#now()) : -1;
  }

  #base(scopeId: string): string {
    return `${this.#prefix}:${scopeId}`;
  }

  #keys(scopeId: string): string[] {
    return this.#keysOf(this.#base(scopeId));
  }

  #keysOf(base: string): string[] {
    return [`${base}:r`, `${base}:t`, `${base}:p`, `${base}:b`, `${base}:bz`, `${base}:ba`];
  }
}

function stat(out: Array<number | string>, at: number): WindowStat | null {
  const limit = Number(out[at]);
  if (limit < 0) return null;
  const oldest = Number(out[at + 2]);
  return { limit, used: Number(out[at + 1]), oldest: oldest < 0 ? null : oldest };
}
