import { randomUUID } from 'node:crypto';
import { createMemoryLogger, toOpenAIError } from '@warden/core';
import { priceFor, worstCaseMicros } from '@warden/pricing';
import { createRateLimiter, type RateLimiter } from '@warden/ratelimit';
import { needs } from '@warden/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createLimitsPlugin } from '../src/index.ts';
import { chatBody, deployment, harness, key, scope, summary } from './helpers.ts';

const redis = needs('redis', 'plugin-limits redis');
// Own prefix per run; the keys expire by themselves (window 61 s, budget counters reset + 1 h).
const prefix = `test:limits:${randomUUID()}`;

describe.skipIf(!redis.ok)('limits plugin on two replicas sharing Redis', () => {
  const limiters: RateLimiter[] = [];
  const replica = () => {
    const limiter = createRateLimiter({ redisUrl: redis.url, prefix, logger: createMemoryLogger() });
    limiters.push(limiter);
    return { limiter, ...harness(createLimitsPlugin({ limiter, logger: createMemoryLogger() })) };
  };
  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.close()));
  });

  it('a budget worth 3 worst-case calls admits exactly 3 of 12 concurrent requests across both', async () => {
    const [a, b] = [replica(), replica()];
    const d = deployment();
    const body = chatBody('hello', 100);
    const worst = worstCaseMicros(body, 'chat', priceFor(d)!, null);
    const resetAt = Date.now() + 60_000;
    const k = key([
      scope('key', randomUUID(), { maxBudgetMicros: 3 * worst, budgetResetAt: resetAt, spendMicros: 0 }),
    ]);
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const r = i % 2 ? a : b;
        return r.request({ key: k, deployment: d, body }).then((out) => ({ ...out, r }));
      }),
    );
    const admitted = runs.filter((x) => x.error === null);
    expect(admitted).toHaveLength(3);
    const refused = runs.find((x) => x.error !== null);
    expect(toOpenAIError(refused?.error, 'r').body.error.type).toBe('budget_exceeded');
    let spent = 0;
    for (const [i, x] of admitted.entries()) {
      const cost = worst - 100 * (i + 1);
      spent += cost;
      await x.r.finish(x.state, summary({ costMicros: cost }));
    }
    expect(await a.limiter.inspect(`key:${k.scopes[0]!.id}`)).toMatchObject({
      spentMicros: spent,
      reservedMicros: 0,
    });
    // 600 µ$ left: one more request is admitted (reserving what is left), then none
    expect((await b.request({ key: k, deployment: d, body })).error).toBeNull();
    expect((await a.request({ key: k, deployment: d, body })).error).not.toBeNull();
  });

  it('parallel slots are shared: max 1 in flight across both replicas', async () => {
    const [a, b] = [replica(), replica()];
    const k = key([scope('team', randomUUID(), { maxParallelRequests: 1 })]);
    const first = await a.request({ key: k });
    expect(first.error).toBeNull();
    expect(toOpenAIError((await b.request({ key: k })).error, 'r').body.error.type).toBe('rate_limit_error');
    await a.finish(first.state, summary());
    expect((await b.request({ key: k })).error).toBeNull();
  });
});
