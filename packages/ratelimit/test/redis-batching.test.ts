import { randomUUID } from 'node:crypto';
import { needs, startTcpProxy } from '@warden/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Admission, RedisRateLimiter } from '../src/index.ts';
import { testLogger } from './test-logger.ts';
import { limitCheck } from './limit-check.ts';

const redis = needs('redis', 'ratelimit redis batching');
const prefix = `test:rl:${randomUUID()}`;

const check = limitCheck;
const scope = (label: string) => `${label}:${randomUUID()}`;
const one = { tokens: 1, worstCostMicros: 0 };

/**
 * The calls one limiter makes in one event-loop turn share one script call. These tests count the
 * script calls on a client of their own and check that every caller still gets exactly the answer
 * it would have had alone, in call order.
 */
describe.skipIf(!redis.ok)('redis limiter: calls of one turn share a script call', () => {
  const clients: Redis[] = [];
  const limiters: RedisRateLimiter[] = [];
  const setup = (options: { now?: () => number } = {}) => {
    const client = new Redis(redis.url, {
      maxRetriesPerRequest: 2,
      enableAutoPipelining: true,
      commandTimeout: 500,
    });
    clients.push(client);
    const limiter = new RedisRateLimiter({ redis: client, prefix, logger: testLogger(), ...options });
    limiters.push(limiter);
    const call = vi.spyOn(client, 'call');
    const scripts = () => call.mock.calls.filter(([name]) => name === 'evalsha' || name === 'eval').length;
    return { client, limiter, call, scripts };
  };
  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.close()));
    const admin = new Redis(redis.url);
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('30 admits in one tick against rpm 10: one script call, exactly the first 10 admitted, in order', async () => {
    const { limiter, scripts } = setup();
    const id = scope('key');
    const results = await Promise.all(
      Array.from({ length: 30 }, () => limiter.admit([check(id, { rpm: 10 })], one)),
    );
    expect(scripts()).toBe(1);
    expect(results.map((r) => r.ok)).toEqual(Array.from({ length: 30 }, (_, i) => i < 10));
    // each saw the reservations of those before it, as if they had arrived one after another
    expect(results.slice(0, 10).map((r) => r.headers['x-ratelimit-remaining-requests'])).toEqual([
      '9',
      '8',
      '7',
      '6',
      '5',
      '4',
      '3',
      '2',
      '1',
      '0',
    ]);
    for (const r of results.slice(10)) {
      expect(r).toMatchObject({ ok: false, reason: 'rpm', scopeId: id, current: 10, limit: 10 });
    }
    expect((await limiter.inspect(id)).requests).toBe(10);
  });

  it('a refusal inside a batch answers only its caller, with its own reason, scope and retry-after', async () => {
    const t = 5_000_000;
    const { limiter, scripts } = setup({ now: () => t });
    const [a, b, c, d] = [scope('key'), scope('team'), scope('user'), scope('deployment')];
    const spent = { maxMicros: 1000, periodId: '1', baseSpentMicros: 1000, resetAtMs: t + 3_600_000 };
    const calls: Array<Promise<Admission>> = [
      limiter.admit([check(a, { rpm: 2 })], one),
      limiter.admit([check(b, { budget: spent })], one),
      limiter.admit([check(a, { rpm: 2 })], one),
      limiter.admit([check(c, { maxParallel: 1 })], one),
      limiter.admit([check(c, { maxParallel: 1 })], one),
      limiter.admit([check(a, { rpm: 2 })], one),
      limiter.admit([check(d, { rpm: 100, tpm: 1000 }), check(a, { rpm: 2 })], {
        tokens: 50,
        worstCostMicros: 0,
      }),
    ];
    const results = await Promise.all(calls);
    expect(scripts()).toBe(1);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true, false, false, false]);
    expect(results[1]).toMatchObject({
      reason: 'budget',
      scopeId: b,
      retryAfterSeconds: 3600,
      current: 1000,
    });
    expect(results[4]).toMatchObject({
      reason: 'parallel',
      scopeId: c,
      retryAfterSeconds: 1,
      current: 1,
      limit: 1,
    });
    expect(results[5]).toMatchObject({
      reason: 'rpm',
      scopeId: a,
      retryAfterSeconds: 60,
      current: 2,
      limit: 2,
    });
    expect(results[6]).toMatchObject({ reason: 'rpm', scopeId: a, retryAfterSeconds: 60 });
    // refused requests consumed nothing, in any of their scopes
    expect(await limiter.inspect(a)).toMatchObject({ requests: 2 });
    expect(await limiter.inspect(c)).toMatchObject({ parallel: 1 });
    expect(await limiter.inspect(d)).toMatchObject({ requests: 0, tokens: 0 });
    expect(await limiter.inspect(b)).toMatchObject({ spentMicros: 1000, reservedMicros: 0 });
  });

  it('settles and releases of one tick share one script call, each applied as alone', async () => {
    const { limiter, scripts } = setup();
    const id = scope('key');
    const budget = { maxMicros: 1_000_000, periodId: '1', baseSpentMicros: 0 };
    const c = [check(id, { tpm: 10_000, maxParallel: 10, budget })];
    const admitted = await Promise.all(
      Array.from({ length: 4 }, () => limiter.admit(c, { tokens: 20, worstCostMicros: 500 })),
    );
    const tickets = admitted.map((a) => {
      if (!a.ok) throw new Error('expected admission');
      return a.ticket;
    });
    expect(await limiter.inspect(id)).toMatchObject({
      requests: 4,
      tokens: 80,
      parallel: 4,
      reservedMicros: 2000,
    });
    const before = scripts();
    await Promise.all([
      limiter.settle(tickets[0]!, { tokens: 7, costMicros: 100 }),
      limiter.settle(tickets[1]!, { tokens: 3, costMicros: 50 }),
      limiter.release(tickets[2]!, { refund: false }),
      limiter.release(tickets[3]!, { refund: true }),
      limiter.settle(tickets[0]!, { tokens: 999, costMicros: 999 }), // a second finish of one ticket is ignored
    ]);
    expect(scripts() - before).toBe(1);
    expect(await limiter.inspect(id)).toEqual({
      requests: 3,
      tokens: 7 + 3 + 20,
      parallel: 0,
      spentMicros: 150,
      reservedMicros: 0,
    });
  });

  it('a Redis error fails every caller of the batch with that error', async () => {
    const { limiter, call } = setup();
    const id = scope('key');
    const boom = new Error('redis exploded');
    call.mockRejectedValueOnce(boom);
    const admits = await Promise.allSettled(
      [1, 2, 3].map(() => limiter.admit([check(id, { rpm: 10 })], one)),
    );
    expect(admits).toEqual([1, 2, 3].map(() => ({ status: 'rejected', reason: boom })));
    expect((await limiter.inspect(id)).requests).toBe(0);

    const tickets = await Promise.all([1, 2].map(() => limiter.admit([check(id, { maxParallel: 5 })], one)));
    call.mockRejectedValueOnce(boom);
    const settles = await Promise.allSettled(
      tickets.map((a) => (a.ok ? limiter.settle(a.ticket, { tokens: 1, costMicros: 0 }) : null)),
    );
    expect(settles).toEqual([1, 2].map(() => ({ status: 'rejected', reason: boom })));
  });

  it('a blackholed Redis fails every caller of the batch within the command timeout', async () => {
    const port = Number(new URL(redis.url).port || 6379);
    const proxy = await startTcpProxy({ targetHost: new URL(redis.url).hostname, targetPort: port });
    const limiter = new RedisRateLimiter({
      redis: `redis://127.0.0.1:${proxy.port}`,
      prefix,
      logger: testLogger(),
    });
    limiters.push(limiter);
    try {
      const c = [check(scope('key'), { rpm: 10 })];
      expect((await limiter.admit(c, one)).ok).toBe(true);
      proxy.cut();
      const t0 = performance.now();
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => limiter.admit(c, one)));
      expect(performance.now() - t0).toBeLessThan(1000);
      const reasons = results.map((r) => (r.status === 'rejected' ? r.reason : null));
      expect(reasons[0]).toBeInstanceOf(Error);
      expect(new Set(reasons).size).toBe(1); // one script call, one error for all
    } finally {
      await proxy.close();
    }
  });

  it('a Redis error in one request of a batch fails that request only; the others go on', async () => {
    const { client, limiter, scripts } = setup();
    const [a, bad, b] = [scope('key'), scope('key'), scope('key')];
    await client.set(`${prefix}:${bad}:r`, 'not a sorted set');
    const results = await Promise.allSettled([
      limiter.admit([check(a, { rpm: 5 })], one),
      limiter.admit([check(bad, { rpm: 5 })], one),
      limiter.admit([check(b, { rpm: 5 })], one),
    ]);
    expect(scripts()).toBe(1);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { ok: true } });
    expect(results[1]).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringContaining('WRONGTYPE') },
    });
    expect(results[2]).toMatchObject({ status: 'fulfilled', value: { ok: true } });
    expect((await limiter.inspect(b)).requests).toBe(1);
  });

  it('calls of different kinds in one tick reach Redis in call order', async () => {
    const { limiter } = setup();
    const id = scope('key');
    const c = [check(id, { maxParallel: 1 })];
    const first = await limiter.admit(c, one);
    if (!first.ok) throw new Error('expected admission');
    // admit, settle, admit without awaiting in between: the last admit must see the slot freed
    // (it may not join the first admit's batch, which would reach Redis before the settle)
    const [, , second] = await Promise.all([
      limiter.admit([check(scope('key'), { rpm: 1 })], one),
      limiter.settle(first.ticket, { tokens: 1, costMicros: 0 }),
      limiter.admit(c, one),
    ]);
    expect(second.ok).toBe(true);
    // and inspect sees an admit made before it in the same tick
    const third = limiter.admit([check(id, { rpm: 10 })], one);
    expect((await limiter.inspect(id)).requests).toBe(1);
    expect((await third).ok).toBe(true);
  });

  it('with an injected clock, a change of time within a tick starts a new batch', async () => {
    let t = 1_000_000;
    const { limiter, scripts } = setup({ now: () => t });
    const c = [check(scope('key'), { rpm: 1 })];
    const first = limiter.admit(c, one);
    t += 60_000; // the first entry has left the window by the time of the second call
    const second = limiter.admit(c, one);
    expect((await first).ok).toBe(true);
    expect((await second).ok).toBe(true);
    expect(scripts()).toBe(2);
  });

  it('expired window entries and reservations are pruned once, and every request of the batch sees it', async () => {
    let t = 2_000_000;
    const dead = new RedisRateLimiter({
      redis: redis.url,
      prefix,
      logger: testLogger(),
      now: () => t,
      leaseMs: 1000,
    });
    const { limiter, scripts } = setup({ now: () => t });
    const [key, team] = [scope('key'), scope('team')];
    const budget = { maxMicros: 1000, periodId: '1', baseSpentMicros: 0 };
    for (let i = 0; i < 3; i++) expect((await dead.admit([check(key, { rpm: 3 })], one)).ok).toBe(true);
    expect((await dead.admit([check(team, { budget })], { tokens: 1, worstCostMicros: 1000 })).ok).toBe(true);
    await dead.close(); // never settles: its window entries age out, its reservation expires with the lease
    t += 60_000;
    const before = scripts();
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => limiter.admit([check(key, { rpm: 3 })], one)),
      ...Array.from({ length: 3 }, () =>
        limiter.admit([check(team, { budget })], { tokens: 1, worstCostMicros: 600 }),
      ),
    ]);
    expect(scripts() - before).toBe(1);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, true, true, false]);
    expect(results[6]).toMatchObject({ reason: 'budget', current: 1000, limit: 1000 });
    expect(await limiter.inspect(key)).toMatchObject({ requests: 3 });
    expect(await limiter.inspect(team)).toMatchObject({ spentMicros: 0, reservedMicros: 1000 }); // 600 + 400
  });

  it('more calls than one batch holds stay exact and in order across batches', async () => {
    const { limiter, scripts } = setup();
    const id = scope('deployment');
    const results = await Promise.all(
      Array.from({ length: 300 }, () => limiter.admit([check(id, { rpm: 250 })], one)),
    );
    expect(results.map((r) => r.ok)).toEqual(Array.from({ length: 300 }, (_, i) => i < 250));
    expect(scripts()).toBe(3);
  });
});
