import { randomUUID } from 'node:crypto';
import { needs, startTcpProxy } from '@warden/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, type RateLimiter, RedisRateLimiter } from '../src/index.ts';
import { RedisScript } from '../src/redis-script.ts';
import { limiterSuite } from './limiter-suite.ts';
import { testLogger } from './test-logger.ts';
import { limitCheck } from './limit-check.ts';

const redis = needs('redis', 'ratelimit redis');
// One prefix per test file (and per run: CI runs the suite twice against one Redis).
const prefix = `test:rl:${randomUUID()}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!redis.ok)('redis', () => {
  limiterSuite('redis', (options) =>
    createRateLimiter({ redisUrl: redis.url, prefix, logger: testLogger(), ...options }),
  );

  const made: RateLimiter[] = [];
  const replica = (leaseMs?: number) => {
    const l = new RedisRateLimiter({
      redis: redis.url,
      prefix,
      logger: testLogger(),
      ...(leaseMs ? { leaseMs } : {}),
    });
    made.push(l);
    return l;
  };
  const check = limitCheck;

  afterAll(async () => {
    await Promise.all(made.map((l) => l.close()));
    const admin = new Redis(redis.url);
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  it('createRateLimiter with a Redis URL is the Redis one', () => {
    const l = createRateLimiter({ redisUrl: redis.url, prefix, logger: testLogger() });
    made.push(l);
    expect(l.kind).toBe('redis');
  });

  it('two replicas share rpm exactly: 10 of 30 concurrent across both', async () => {
    const [a, b] = [replica(), replica()];
    const id = `key:${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a : b).admit([check(id, { rpm: 10 })], { tokens: 1, worstCostMicros: 0 }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
  });

  it('two replicas share a budget: exactly 5 of 40 concurrent worst-case calls, spend is the sum', async () => {
    const [a, b] = [replica(), replica()];
    const id = `team:${randomUUID()}`;
    const budget = { maxMicros: 5000, periodId: '1', baseSpentMicros: 0 };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const l = i % 2 ? a : b;
        return l.admit([check(id, { budget })], { tokens: 1, worstCostMicros: 1000 }).then((r) => ({ r, l }));
      }),
    );
    const ok = results.filter(({ r }) => r.ok);
    expect(ok).toHaveLength(5);
    await Promise.all(
      ok.map(({ r, l }) => (r.ok ? l.settle(r.ticket, { tokens: 1, costMicros: 900 }) : null)),
    );
    expect(await a.inspect(id)).toMatchObject({ spentMicros: 4500, reservedMicros: 0 });
  });

  it('two replicas share parallel slots: peak exactly 2 across both', async () => {
    const [a, b] = [replica(), replica()];
    const id = `key:${randomUUID()}`;
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        const l = w % 2 ? a : b;
        for (;;) {
          const r = await l.admit([check(id, { maxParallel: 2 })], { tokens: 1, worstCostMicros: 0 });
          if (!r.ok) {
            await sleep(3);
            continue;
          }
          active += 1;
          peak = Math.max(peak, active);
          await sleep(10);
          active -= 1;
          await l.settle(r.ticket, { tokens: 1, costMicros: 0 });
          return;
        }
      }),
    );
    expect(peak).toBe(2);
  });

  it("a dead replica's slots and reservations expire with their lease", async () => {
    const dead = replica(300);
    const alive = replica(300);
    const id = `key:${randomUUID()}`;
    const budget = { maxMicros: 1000, periodId: '1', baseSpentMicros: 0 };
    const c = [check(id, { maxParallel: 1, budget })];
    expect((await dead.admit(c, { tokens: 1, worstCostMicros: 1000 })).ok).toBe(true);
    await dead.close(); // crashed: never settles
    expect(await alive.admit(c, { tokens: 1, worstCostMicros: 1000 })).toMatchObject({ ok: false });
    expect(await alive.inspect(id)).toMatchObject({ parallel: 1, reservedMicros: 1000 });
    await sleep(450);
    expect(await alive.inspect(id)).toMatchObject({ parallel: 0, reservedMicros: 0, spentMicros: 0 });
    const again = await alive.admit(c, { tokens: 1, worstCostMicros: 1000 });
    expect(again.ok).toBe(true);
    if (again.ok) await alive.settle(again.ticket, { tokens: 1, costMicros: 10 });
  });

  it('a live replica keeps renewing its leases past the lease time', async () => {
    // Heartbeat every 200 ms against a 600 ms lease: two missed beats (a loaded CI box) are tolerated.
    const holder = replica(600);
    const other = replica(600);
    const id = `key:${randomUUID()}`;
    const c = [check(id, { maxParallel: 1 })];
    const held = await holder.admit(c, { tokens: 1, worstCostMicros: 0 });
    if (!held.ok) throw new Error('expected admission');
    await sleep(1500); // 2.5 leases
    expect(await other.admit(c, { tokens: 1, worstCostMicros: 0 })).toMatchObject({
      ok: false,
      reason: 'parallel',
    });
    await holder.settle(held.ticket, { tokens: 1, costMicros: 0 });
    expect((await other.admit(c, { tokens: 1, worstCostMicros: 0 })).ok).toBe(true);
  });

  it('EVALSHA falls back to EVAL for a script Redis has not seen (restart, SCRIPT FLUSH)', async () => {
    // A body no Redis has cached yet (SCRIPT FLUSH itself would disturb other suites sharing Redis).
    const script = new RedisScript(`-- ${randomUUID()}\nreturn ARGV[1]`);
    const client = new Redis(redis.url);
    try {
      expect(await script.run(client, [], ['first'])).toBe('first'); // NOSCRIPT → EVAL
      expect(await script.run(client, [], ['second'])).toBe('second'); // now cached: EVALSHA
    } finally {
      await client.quit();
    }
  });

  it('fails fast while Redis is unreachable and works again once it is back', async () => {
    const port = Number(new URL(redis.url).port || 6379);
    const proxy = await startTcpProxy({ targetHost: new URL(redis.url).hostname, targetPort: port });
    const l = new RedisRateLimiter({
      redis: `redis://127.0.0.1:${proxy.port}`,
      prefix,
      logger: testLogger(),
    });
    made.push(l);
    try {
      const c = [check(`key:${randomUUID()}`, { rpm: 10 })];
      expect((await l.admit(c, { tokens: 1, worstCostMicros: 0 })).ok).toBe(true);
      proxy.cut();
      const t0 = performance.now();
      await expect(l.admit(c, { tokens: 1, worstCostMicros: 0 })).rejects.toThrow();
      expect(performance.now() - t0).toBeLessThan(1000);
      proxy.restore();
      await vi.waitFor(
        async () => expect((await l.admit(c, { tokens: 1, worstCostMicros: 0 })).ok).toBe(true),
        {
          timeout: 5000,
          interval: 100,
        },
      );
    } finally {
      await proxy.close();
    }
  });

  it('expires a window of 10 000 entries in one admission (batched past Lua unpack limits)', async () => {
    let t = 1_000_000;
    const l = new RedisRateLimiter({ redis: redis.url, prefix, logger: testLogger(), now: () => t });
    made.push(l);
    const id = `deployment:${randomUUID()}`;
    const admin = new Redis(redis.url);
    try {
      const members = Array.from({ length: 10_000 }, (_, i) => `old-${i}`);
      await admin.zadd(`${prefix}:${id}:r`, ...members.flatMap((m, i) => [t - 1000 + (i % 1000), m]));
      await admin.hset(
        `${prefix}:${id}:t`,
        ...members.flatMap((m) => [m, '3']),
        '#',
        String(3 * members.length),
      );
      const c = [check(id, { rpm: 20_000, tpm: 1_000_000 })];
      expect(await l.inspect(id)).toMatchObject({ requests: 10_000, tokens: 30_000 });
      t += 60_000;
      expect((await l.admit(c, { tokens: 7, worstCostMicros: 0 })).ok).toBe(true);
      expect(await l.inspect(id)).toMatchObject({ requests: 1, tokens: 7 });
      expect(await admin.hlen(`${prefix}:${id}:t`)).toBe(2); // the new entry and the sum
    } finally {
      await admin.quit();
    }
  });

  it('money above 1e14 micro-dollars stays an exact integer', async () => {
    const l = replica();
    const id = `key:${randomUUID()}`;
    const budget = { maxMicros: 9e15, periodId: '1', baseSpentMicros: 123_456_789_012_345 };
    const r = await l.admit([check(id, { budget })], { tokens: 1, worstCostMicros: 200_000_000_000_001 });
    if (!r.ok) throw new Error('expected admission');
    await l.settle(r.ticket, { tokens: 1, costMicros: 100_000_000_000_001 });
    expect(await l.inspect(id)).toMatchObject({ spentMicros: 223_456_789_012_346, reservedMicros: 0 });
  });
});
