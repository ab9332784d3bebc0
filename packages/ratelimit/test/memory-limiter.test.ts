import { describe, expect, it } from 'vitest';
import { createRateLimiter, MemoryRateLimiter } from '../src/index.ts';
import { limiterSuite } from './limiter-suite.ts';
import { testLogger } from './test-logger.ts';

limiterSuite('memory', (options) => createRateLimiter({ logger: testLogger(), ...options }));

describe('memory limiter', () => {
  it('createRateLimiter without a Redis URL is the memory one', async () => {
    const l = createRateLimiter({ logger: testLogger() });
    expect(l).toBeInstanceOf(MemoryRateLimiter);
    expect(l.kind).toBe('memory');
    await l.close();
  });

  it('a ticket never settled stops holding its slot and reservation after maxHoldMs', async () => {
    let t = 0;
    const l = new MemoryRateLimiter({ logger: testLogger(), now: () => t, maxHoldMs: 10_000 });
    const c = [
      {
        id: 'key:leak',
        rpm: null,
        tpm: null,
        maxParallel: 1,
        budget: { maxMicros: 100, periodId: 'p', baseSpentMicros: 0 },
      },
    ];
    expect((await l.admit(c, { tokens: 1, worstCostMicros: 100 })).ok).toBe(true);
    t = 9_999;
    expect(await l.admit(c, { tokens: 1, worstCostMicros: 100 })).toMatchObject({ ok: false });
    t = 10_000;
    expect((await l.admit(c, { tokens: 1, worstCostMicros: 100 })).ok).toBe(true);
    await l.close();
  });
});
