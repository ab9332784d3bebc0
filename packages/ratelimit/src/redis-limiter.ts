import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { normalizeChecks } from './checks.ts';
import { Coalescer } from './coalescer.ts';
import { rateLimitHeaders, type WindowStat } from './headers.ts';
import { RedisScript } from './redis-script.ts';
import { ADMIT_LUA, FINISH_LUA, INSPECT_LUA, RENEW_LUA } from './redis-scripts.ts';
import { HAS_BUDGET, HAS_SLOT, HAS_WINDOW, type ScopeKeys, ScopeKeyCache } from './scope-keys.ts';
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

/** Bounds one batch: 128 admits of a few scopes each keep a script run around a few milliseconds. */
const MAX_BATCH = 128;

const admitScript = new RedisScript(ADMIT_LUA);
const finishScript = new RedisScript(FINISH_LUA);
const renewScript = new RedisScript(RENEW_LUA);
const inspectScript = new RedisScript(INSPECT_LUA);

/** An admitted ticket this replica holds: what it must finish, and renew until then. */
interface Held {
  id: string;
  admittedAt: number;
  scopes: ScopeKeys[];
  /** Per scope: HAS_WINDOW | HAS_SLOT | HAS_BUDGET. */
  flags: number[];
}

/** An admit waiting in a batch; once admitted, its ticket is held. */
interface AdmitCall extends Omit<Held, 'admittedAt'> {
  checks: readonly LimitCheck[];
  resolve(admission: Admission): void;
  reject(reason: unknown): void;
}

interface FinishCall {
  resolve(): void;
  reject(reason: unknown): void;
}

export interface RedisLimiterOptions extends LimiterOptions {
  /** An ioredis client, or a URL to create one (then closed by `close()`). */
  redis: Redis | string;
  /** Prefix of every key, to share one Redis between deployments (and tests). */
  prefix?: string;
}

/**
 * The limiter shared by replicas. Counters live in Redis and each admit/settle/release is handled by
 * a Lua script over all the request's scopes, so limits hold exactly across replicas. The calls made
 * in one event-loop turn share one script call (see coalescer.ts), in call order. Parallel slots
 * and budget reservations are leases: this replica renews the leases of its requests in flight every
 * lease/3; when it dies they expire and the slots and reserved money come back.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly kind = 'redis' as const;
  readonly #redis: Redis;
  readonly #ownsClient: boolean;
  readonly #keys: ScopeKeyCache;
  readonly #now: (() => number) | null;
  readonly #windowMs: number;
  readonly #leaseMs: number;
  readonly #holdMs: number;
  readonly #logger: LimiterLogger;
  readonly #held = new Map<string, Held>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #admits: Coalescer<AdmitCall>;
  readonly #finishes: Coalescer<FinishCall>;
  #renewing = false;

  constructor(options: RedisLimiterOptions) {
    this.#ownsClient = typeof options.redis === 'string';
    this.#redis =
      typeof options.redis === 'string'
        ? new Redis(options.redis, {
            maxRetriesPerRequest: 2,
            // The limiter batches its own calls (coalescer.ts); autopipelining would only delay them.
            enableAutoPipelining: false,
            commandTimeout: COMMAND_TIMEOUT_MS,
          })
        : options.redis;
    if (this.#ownsClient) {
      // Without a listener ioredis prints every reconnect failure as an unhandled error event.
      this.#redis.on('error', (err: unknown) => options.logger.warn('rate limiter redis error', { err }));
    }
    this.#keys = new ScopeKeyCache(options.prefix ?? 'warden:rl');
    this.#now = options.now ?? null;
    this.#windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#holdMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
    this.#logger = options.logger;
    this.#admits = new Coalescer<AdmitCall>({
      header: (now) => [now, this.#windowMs, this.#leaseMs],
      send: (keys, args) => admitScript.run(this.#redis, keys, args),
      deliver: (out, calls) => this.#admitted(out as Array<number | string>, calls),
      maxCalls: MAX_BATCH,
    });
    this.#finishes = new Coalescer<FinishCall>({
      header: () => [],
      send: (keys, args) => finishScript.run(this.#redis, keys, args),
      deliver: (out, calls) => finished(out as Array<number | string>, calls),
      maxCalls: MAX_BATCH,
    });
    this.#heartbeat = setInterval(() => void this.#renew(), Math.max(50, Math.floor(this.#leaseMs / 3)));
    this.#heartbeat.unref();
  }

  admit(checks: readonly LimitCheck[], estimate: AdmissionEstimate): Promise<Admission> {
    let list: readonly LimitCheck[];
    let now: number;
    try {
      list = normalizeChecks(checks);
      now = this.#clock();
    } catch (err) {
      return Promise.reject(err); // as an async function would: nothing was added to a batch
    }
    const id = randomUUID();
    // Nothing limits this request: no round trip (settle/release of this ticket are no-ops).
    if (list.length === 0) return Promise.resolve({ ok: true, ticket: { id }, headers: {} });
    this.#finishes.flush(); // calls reach Redis in the order they were made
    // With an injected clock each call carries its own time; the script takes one per batch.
    const { keys, args, waiters } = this.#admits.join(now);
    args.push(
      id,
      Math.max(0, Math.ceil(estimate.tokens || 0)),
      Math.max(0, Math.ceil(estimate.worstCostMicros || 0)),
      list.length,
    );
    const scopes = new Array<ScopeKeys>(list.length);
    const flags = new Array<number>(list.length);
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      const k = this.#keys.get(c.id);
      const window = c.rpm !== null || c.tpm !== null;
      // The script reads a budget only for a max >= 0 (as it always has); settle still visits one.
      const budgetMax = c.budget ? Math.floor(c.budget.maxMicros) : -1;
      args.push(c.rpm ?? -1, c.tpm ?? -1, c.maxParallel ?? -1, budgetMax);
      if (window) keys.push(k.r, k.t);
      if (c.maxParallel !== null) keys.push(k.p);
      if (c.budget && budgetMax >= 0) {
        keys.push(k.b, k.bz, k.ba);
        args.push(
          c.budget.periodId,
          Math.max(0, Math.ceil(c.budget.baseSpentMicros)),
          c.budget.resetAtMs ?? -1,
        );
      }
      scopes[i] = k;
      flags[i] =
        (window ? HAS_WINDOW : 0) | (c.maxParallel !== null ? HAS_SLOT : 0) | (c.budget ? HAS_BUDGET : 0);
    }
    return new Promise<Admission>((resolve, reject) => {
      waiters.push({ id, scopes, flags, checks: list, resolve, reject });
    });
  }

  settle(ticket: Ticket, actual: { tokens: number; costMicros: number }): Promise<void> {
    return this.#finish(ticket, 'settle', actual.tokens, actual.costMicros);
  }

  release(ticket: Ticket, options: { refund: boolean }): Promise<void> {
    return this.#finish(ticket, options.refund ? 'refund' : 'release', 0, 0);
  }

  async inspect(scopeId: string): Promise<ScopeUsage> {
    this.#admits.flush(); // it sees every call made before it
    this.#finishes.flush();
    const k = this.#keys.get(scopeId);
    const out = (await inspectScript.run(
      this.#redis,
      [k.r, k.t, k.p, k.b, k.bz, k.ba],
      [this.#clock(), this.#windowMs],
    )) as Array<number | string>;
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
    this.#admits.flush(); // calls already made go out before QUIT
    this.#finishes.flush();
    this.#held.clear();
    if (this.#ownsClient) await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #finish(
    ticket: Ticket,
    mode: 'settle' | 'release' | 'refund',
    tokens: number,
    cost: number,
  ): Promise<void> {
    const held = this.#held.get(ticket.id);
    if (!held) return Promise.resolve(); // settled or released already: each ticket counts once
    this.#held.delete(ticket.id);
    this.#admits.flush(); // calls reach Redis in the order they were made
    const { keys, args, waiters } = this.#finishes.join(0);
    const { scopes, flags } = held;
    args.push(
      held.id,
      mode,
      Math.max(0, Math.ceil(tokens || 0)),
      Math.max(0, Math.ceil(cost || 0)),
      scopes.length,
    );
    for (let i = 0; i < scopes.length; i++) {
      const k = scopes[i]!;
      const f = flags[i]!;
      args.push(f);
      if (f & HAS_WINDOW) keys.push(k.r, k.t);
      if (f & HAS_SLOT) keys.push(k.p);
      if (f & HAS_BUDGET) keys.push(k.b, k.bz, k.ba);
    }
    return new Promise<void>((resolve, reject) => {
      waiters.push({ resolve, reject });
    });
  }

  /** Hands each admit of a batch its answer (ADMIT_LUA's reply format). */
  #admitted(out: Array<number | string>, calls: readonly AdmitCall[]): void {
    const now = Number(out[0]);
    let at = 1;
    for (const call of calls) {
      const status = out[at];
      if (status === -1) {
        call.reject(new Error(String(out[at + 1])));
        at += 2;
        continue;
      }
      const headers = rateLimitHeaders(stat(out, at + 1), stat(out, at + 4), now, this.#windowMs);
      if (status === 1) {
        at += 7;
        const { id, scopes, flags } = call;
        this.#held.set(id, { id, admittedAt: Date.now(), scopes, flags });
        call.resolve({ ok: true, ticket: { id }, headers });
        continue;
      }
      const retryMs = Number(out[at + 9]);
      call.resolve({
        ok: false,
        reason: String(out[at + 7]) as RefusalReason,
        scopeId: call.checks[Number(out[at + 8]) - 1]!.id,
        retryAfterSeconds: retryMs < 0 ? null : Math.max(1, Math.ceil(retryMs / 1000)),
        current: Number(out[at + 10]),
        limit: Number(out[at + 11]),
        headers,
      });
      at += 12;
    }
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
        for (let i = 0; i < held.scopes.length; i++) {
          const f = held.flags[i]!;
          if (f & HAS_SLOT) {
            keys.push(held.scopes[i]!.p);
            args.push(held.id, 'p');
          }
          if (f & HAS_BUDGET) {
            keys.push(held.scopes[i]!.bz);
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
}

/** Answers each settle/release of a batch (FINISH_LUA's reply: 1 or an error message per call). */
function finished(out: Array<number | string>, calls: readonly FinishCall[]): void {
  for (let i = 0; i < calls.length; i++) {
    if (out[i] === 1) calls[i]!.resolve();
    else calls[i]!.reject(new Error(String(out[i])));
  }
}

function stat(out: Array<number | string>, at: number): WindowStat | null {
  const limit = Number(out[at]);
  if (limit < 0) return null;
  const oldest = Number(out[at + 2]);
  return { limit, used: Number(out[at + 1]), oldest: oldest < 0 ? null : oldest };
}
