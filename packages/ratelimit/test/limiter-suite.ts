import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { RateLimiter } from '../src/index.ts';
import { limitCheck } from './limit-check.ts';

export interface MakeOptions {
  now?: () => number;
  leaseMs?: number;
  maxHoldMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh scope id per test: suites share one Redis prefix per file and tests must not collide. */
const scope = (label: string) => `${label}:${randomUUID()}`;

const check = limitCheck;

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/**
 * The behaviour every RateLimiter must have; run against memory and Redis. `make` builds a limiter
 * (several calls on Redis give several "replicas" sharing one prefix).
 */
export function limiterSuite(name: string, make: (options?: MakeOptions) => RateLimiter): void {
  describe(`${name} limiter`, () => {
    const made: RateLimiter[] = [];
    const limiter = (options?: MakeOptions) => {
      const l = make(options);
      made.push(l);
      return l;
    };
    afterAll(async () => {
      await Promise.all(made.map((l) => l.close()));
    });

    it('rpm 10 of 30 concurrent requests: exactly 10 admitted', async () => {
      const l = limiter();
      const id = scope('key');
      const results = await Promise.all(
        Array.from({ length: 30 }, () =>
          l.admit([check(id, { rpm: 10 })], { tokens: 1, worstCostMicros: 0 }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(10);
      const refused = results.find((r) => !r.ok);
      expect(refused).toMatchObject({ ok: false, reason: 'rpm', scopeId: id, current: 10, limit: 10 });
      if (refused && !refused.ok) {
        expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
        expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
        expect(refused.headers['x-ratelimit-remaining-requests']).toBe('0');
      }
      expect((await l.inspect(id)).requests).toBe(10);
    });

    it('a request refused by one scope consumes nothing in the others', async () => {
      const l = limiter();
      const [a, b] = [scope('key'), scope('team')];
      const checks = [
        check(a, {
          rpm: 100,
          tpm: 1000,
          maxParallel: 5,
          budget: { maxMicros: 1000, periodId: 'p', baseSpentMicros: 0 },
        }),
        check(b, { rpm: 1 }),
      ];
      expect((await l.admit(checks, { tokens: 10, worstCostMicros: 100 })).ok).toBe(true);
      const second = await l.admit(checks, { tokens: 10, worstCostMicros: 100 });
      expect(second).toMatchObject({ ok: false, reason: 'rpm', scopeId: b });
      expect(await l.inspect(a)).toEqual({
        requests: 1,
        tokens: 10,
        parallel: 1,
        spentMicros: 0,
        reservedMicros: 100,
      });
    });

    it('parallel 2 with slow work: peak exactly 2, slots freed on finish, error and abort, none hang', async () => {
      const l = limiter();
      const id = scope('key');
      let active = 0;
      let peak = 0;
      let done = 0;
      const worker = async (w: number) => {
        for (;;) {
          const a = await l.admit([check(id, { maxParallel: 2 })], { tokens: 1, worstCostMicros: 0 });
          if (!a.ok) {
            expect(a.reason).toBe('parallel');
            await sleep(2);
            continue;
          }
          active += 1;
          peak = Math.max(peak, active);
          await sleep(8);
          active -= 1;
          if (w % 3 === 0) await l.settle(a.ticket, { tokens: 5, costMicros: 0 });
          else if (w % 3 === 1)
            await l.release(a.ticket, { refund: false }); // upstream error
          else await l.release(a.ticket, { refund: true }); // client aborted before the upstream
          done += 1;
          return;
        }
      };
      await Promise.all(Array.from({ length: 9 }, (_, w) => worker(w)));
      expect(done).toBe(9);
      expect(peak).toBe(2);
      expect((await l.inspect(id)).parallel).toBe(0);
    });

    it('tpm: admitted while used < tpm, and settle corrects the estimate', async () => {
      const l = limiter();
      const id = scope('key');
      const c = [check(id, { tpm: 100 })];
      const first = await l.admit(c, { tokens: 60, worstCostMicros: 0 });
      expect(first.ok).toBe(true);
      expect((await l.admit(c, { tokens: 60, worstCostMicros: 0 })).ok).toBe(true);
      expect(await l.admit(c, { tokens: 60, worstCostMicros: 0 })).toMatchObject({
        ok: false,
        reason: 'tpm',
        current: 120,
        limit: 100,
      });
      if (first.ok) await l.settle(first.ticket, { tokens: 10, costMicros: 0 });
      expect((await l.inspect(id)).tokens).toBe(70);
      const third = await l.admit(c, { tokens: 5, worstCostMicros: 0 });
      expect(third.ok).toBe(true);
      if (third.ok) expect(third.headers['x-ratelimit-remaining-tokens']).toBe('25');
      expect((await l.inspect(id)).tokens).toBe(75);
    });

    it('sliding window edges (injectable clock)', async () => {
      let t = 1_000_000;
      const l = limiter({ now: () => t });
      const id = scope('key');
      const c = [check(id, { rpm: 3, tpm: 1000 })];
      const admit = () => l.admit(c, { tokens: 100, worstCostMicros: 0 });
      const start = t;
      for (const offset of [0, 10_000, 20_000]) {
        t = start + offset;
        expect((await admit()).ok).toBe(true);
      }
      t = start + 30_000;
      const refused = await admit();
      expect(refused).toMatchObject({ ok: false, reason: 'rpm', retryAfterSeconds: 30 });
      t = start + 59_999;
      expect((await admit()).ok).toBe(false);
      t = start + 60_000; // the first entry leaves the window exactly 60 s after it entered
      const ok = await admit();
      expect(ok.ok).toBe(true);
      if (ok.ok) {
        expect(ok.headers['x-ratelimit-remaining-requests']).toBe('0');
        expect(ok.headers['x-ratelimit-reset-requests']).toBe('10s');
        expect(ok.headers['x-ratelimit-remaining-tokens']).toBe('700');
      }
      t = start + 60_001;
      expect((await admit()).ok).toBe(false);
      t = start + 70_000;
      expect((await admit()).ok).toBe(true);
      expect(await l.inspect(id)).toMatchObject({ requests: 3, tokens: 300 });
      t = start + 200_000;
      expect(await l.inspect(id)).toMatchObject({ requests: 0, tokens: 0 });
    });

    it('release with refund removes the request; without refund it still counts', async () => {
      const l = limiter();
      const id = scope('key');
      const c = [check(id, { rpm: 1, maxParallel: 1 })];
      const a = await l.admit(c, { tokens: 1, worstCostMicros: 0 });
      if (!a.ok) throw new Error('expected admission');
      await l.release(a.ticket, { refund: true });
      const b = await l.admit(c, { tokens: 1, worstCostMicros: 0 });
      if (!b.ok) throw new Error('refund should have given the request back');
      await l.release(b.ticket, { refund: false });
      expect(await l.admit(c, { tokens: 1, worstCostMicros: 0 })).toMatchObject({ ok: false, reason: 'rpm' });
      expect(await l.inspect(id)).toMatchObject({ requests: 1, parallel: 0 });
    });

    it('a ticket counts once: a second settle or release is ignored', async () => {
      const l = limiter();
      const id = scope('key');
      const c = [check(id, { tpm: 1000, budget: { maxMicros: 1000, periodId: 'p', baseSpentMicros: 0 } })];
      const a = await l.admit(c, { tokens: 10, worstCostMicros: 100 });
      if (!a.ok) throw new Error('expected admission');
      await l.settle(a.ticket, { tokens: 20, costMicros: 50 });
      await l.settle(a.ticket, { tokens: 20, costMicros: 50 });
      await l.release(a.ticket, { refund: true });
      expect(await l.inspect(id)).toEqual({
        requests: 1,
        tokens: 20,
        parallel: 0,
        spentMicros: 50,
        reservedMicros: 0,
      });
    });

    it('budget: 20 concurrent requests against 5 worst cases → 5 or 6 admitted, spend = sum of real costs', async () => {
      const l = limiter();
      const id = scope('key');
      const worst = 1000;
      const budget = { maxMicros: 5 * worst, periodId: 'period-1', baseSpentMicros: 0 };
      const random = rng(42);
      let admitted = 0;
      let spent = 0;
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          await sleep(i % 4); // staggered, so admissions and settles interleave
          const a = await l.admit([check(id, { budget })], { tokens: 10, worstCostMicros: worst });
          if (!a.ok) {
            expect(a.reason).toBe('budget');
            expect(a.retryAfterSeconds).toBeNull();
            return;
          }
          admitted += 1;
          await sleep(3 + Math.floor(random() * 10));
          const cost = Math.round(worst * (0.85 + 0.15 * random())); // the real cost never exceeds the worst case
          spent += cost;
          await l.settle(a.ticket, { tokens: 10, costMicros: cost });
        }),
      );
      expect(admitted).toBeGreaterThanOrEqual(4);
      expect(admitted).toBeLessThanOrEqual(6);
      const usage = await l.inspect(id);
      expect(usage.spentMicros).toBe(spent);
      expect(usage.reservedMicros).toBe(0);
      expect(spent).toBeLessThanOrEqual(budget.maxMicros + worst); // overshoot by at most one request
      // admitted again only while something is left
      const after = await l.admit([check(id, { budget })], { tokens: 1, worstCostMicros: 1 });
      expect(after.ok).toBe(spent < budget.maxMicros);
    });

    it('budget: exactly 5 of 20 concurrent when every call costs its worst case; seeded from the database spend', async () => {
      const l = limiter();
      const [a, b] = [scope('key'), scope('team')];
      const run = async (id: string, base: number) => {
        const budget = { maxMicros: 5000, periodId: '1', baseSpentMicros: base };
        const results = await Promise.all(
          Array.from({ length: 20 }, () =>
            l.admit([check(id, { budget })], { tokens: 1, worstCostMicros: 1000 }),
          ),
        );
        const ok = results.filter((r) => r.ok);
        for (const r of ok) if (r.ok) await l.settle(r.ticket, { tokens: 1, costMicros: 1000 });
        return ok.length;
      };
      expect(await run(a, 0)).toBe(5);
      expect(await run(b, 2000)).toBe(3);
      expect((await l.inspect(b)).spentMicros).toBe(5000);
    });

    it('budget: reserves min(worst, remaining); a refusal names the reset', async () => {
      const l = limiter();
      const id = scope('user');
      const resetAtMs = Date.now() + 3_600_000;
      const budget = { maxMicros: 1500, periodId: String(resetAtMs), baseSpentMicros: 0, resetAtMs };
      const first = await l.admit([check(id, { budget })], { tokens: 1, worstCostMicros: 1000 });
      const second = await l.admit([check(id, { budget })], { tokens: 1, worstCostMicros: 1000 });
      expect(first.ok && second.ok).toBe(true);
      expect((await l.inspect(id)).reservedMicros).toBe(1500);
      const third = await l.admit([check(id, { budget, rpm: 0 })], { tokens: 1, worstCostMicros: 1000 });
      // budget wins over the rate limit: retrying in a minute would not help
      expect(third).toMatchObject({ ok: false, reason: 'budget', current: 1500, limit: 1500 });
      if (!third.ok) {
        expect(third.retryAfterSeconds).toBeGreaterThan(3590);
        expect(third.retryAfterSeconds).toBeLessThanOrEqual(3600);
      }
      if (first.ok) await l.release(first.ticket, { refund: false });
      expect((await l.inspect(id)).reservedMicros).toBe(500);
      expect((await l.admit([check(id, { budget })], { tokens: 1, worstCostMicros: 1000 })).ok).toBe(true);
    });

    it('budget: a new period reseeds the counters; an older period id does not', async () => {
      const l = limiter();
      const id = scope('team');
      const p1 = { maxMicros: 1000, periodId: '1000', baseSpentMicros: 900 };
      const a = await l.admit([check(id, { budget: p1 })], { tokens: 1, worstCostMicros: 500 });
      if (!a.ok) throw new Error('expected admission');
      expect(await l.inspect(id)).toMatchObject({ spentMicros: 900, reservedMicros: 100 });
      expect((await l.admit([check(id, { budget: p1 })], { tokens: 1, worstCostMicros: 500 })).ok).toBe(
        false,
      );
      const p2 = { maxMicros: 1000, periodId: '2000', baseSpentMicros: 0 };
      expect((await l.admit([check(id, { budget: p2 })], { tokens: 1, worstCostMicros: 500 })).ok).toBe(true);
      expect(await l.inspect(id)).toMatchObject({ spentMicros: 0, reservedMicros: 500 });
      // a replica with a stale key cache still sends the old period: it must not wipe the new one
      expect(await l.admit([check(id, { budget: p1 })], { tokens: 1, worstCostMicros: 500 })).toMatchObject({
        ok: true,
      });
      expect(await l.inspect(id)).toMatchObject({ spentMicros: 0, reservedMicros: 1000 });
      // a request admitted in the old period and settled in the new one adds its cost to the new one
      await l.settle(a.ticket, { tokens: 1, costMicros: 70 });
      expect(await l.inspect(id)).toMatchObject({ spentMicros: 70, reservedMicros: 1000 });
    });

    it('budget: counters never fall below the database spend; they ignore a lower one', async () => {
      const l = limiter();
      const id = scope('key');
      const at = (base: number) => ({ maxMicros: 1000, periodId: '7', baseSpentMicros: base });
      const a = await l.admit([check(id, { budget: at(100) })], { tokens: 1, worstCostMicros: 50 });
      if (!a.ok) throw new Error('expected admission');
      await l.settle(a.ticket, { tokens: 1, costMicros: 50 });
      expect((await l.inspect(id)).spentMicros).toBe(150);
      // the key cache still has the older figure: the counters keep what they know
      expect((await l.admit([check(id, { budget: at(100) })], { tokens: 1, worstCostMicros: 0 })).ok).toBe(
        true,
      );
      expect((await l.inspect(id)).spentMicros).toBe(150);
      // another process spent 900 more (recorded in the database): it binds here too
      expect(
        await l.admit([check(id, { budget: at(1000) })], { tokens: 1, worstCostMicros: 0 }),
      ).toMatchObject({
        ok: false,
        reason: 'budget',
      });
      expect((await l.inspect(id)).spentMicros).toBe(1000);
    });

    it('headers describe the tightest scope', async () => {
      const l = limiter();
      const [k, d] = [scope('key'), scope('deployment')];
      const a = await l.admit([check(k, { rpm: 100, tpm: 500 }), check(d, { rpm: 5, tpm: 10_000 })], {
        tokens: 50,
        worstCostMicros: 0,
      });
      expect(a.ok).toBe(true);
      expect(a.headers).toEqual({
        'x-ratelimit-limit-requests': '5',
        'x-ratelimit-remaining-requests': '4',
        'x-ratelimit-reset-requests': expect.stringMatching(/^(59s|1m0s)$/),
        'x-ratelimit-limit-tokens': '500',
        'x-ratelimit-remaining-tokens': '450',
        'x-ratelimit-reset-tokens': expect.stringMatching(/^(59s|1m0s)$/),
      });
      const none = await l.admit([check(scope('key'), { maxParallel: 3 })], {
        tokens: 1,
        worstCostMicros: 0,
      });
      expect(none.headers).toEqual({});
    });

    it('no checks: admitted with nothing recorded', async () => {
      const l = limiter();
      const a = await l.admit([check(scope('key'), {})], { tokens: 1, worstCostMicros: 1 });
      expect(a.ok).toBe(true);
      if (a.ok) await l.settle(a.ticket, { tokens: 1, costMicros: 1 });
    });
  });
}
