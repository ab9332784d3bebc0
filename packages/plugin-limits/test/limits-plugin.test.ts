import { type AddressInfo, createServer, type Socket } from 'node:net';
import { createMemoryLogger, isGatewayError, PluginError, toOpenAIError } from '@warden/core';
import { estimateRequestTokens, priceFor, worstCaseMicros } from '@warden/pricing';
import { type Admission, createRateLimiter, MemoryRateLimiter, type RateLimiter } from '@warden/ratelimit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLimitsPlugin } from '../src/index.ts';
import { chatBody, deployment, harness, key, scope, summary } from './helpers.ts';

const limiters: RateLimiter[] = [];
function setup(o: { failOpen?: boolean; limiter?: RateLimiter; hookTimeoutMs?: number } = {}) {
  const limiter = o.limiter ?? new MemoryRateLimiter({ logger: createMemoryLogger() });
  limiters.push(limiter);
  const logger = createMemoryLogger();
  const plugin = createLimitsPlugin({ limiter, logger, ...(o.failOpen ? { failOpen: true } : {}) });
  return { ...harness(plugin, o.hookTimeoutMs), limiter, plugin, logger };
}
afterEach(async () => {
  await Promise.all(limiters.splice(0).map((l) => l.close()));
});

describe('limits plugin: admission', () => {
  it('does nothing for a key without limits', async () => {
    const { request, limiter } = setup();
    const admit = vi.spyOn(limiter, 'admit');
    const { state, error } = await request({ key: key([scope('key', 'k')]) });
    expect(error).toBeNull();
    expect(state.responseHeaders).toBeNull();
    expect(admit).not.toHaveBeenCalled();
  });

  it('skips routes that are not LLM calls', async () => {
    const { request, limiter } = setup();
    const admit = vi.spyOn(limiter, 'admit');
    await request({ key: key([scope('key', 'k', { rpmLimit: 1 })]), endpoint: null });
    expect(admit).not.toHaveBeenCalled();
  });

  it('rpm: sets x-ratelimit headers, then refuses with 429 rate_limit_error and retry-after', async () => {
    const { request, limiter } = setup();
    const k = key([scope('key', 'k1', { rpmLimit: 2, tpmLimit: 10_000 })]);
    const first = await request({ key: k });
    expect(first.error).toBeNull();
    expect(first.state.responseHeaders).toMatchObject({
      'x-ratelimit-limit-requests': '2',
      'x-ratelimit-remaining-requests': '1',
      'x-ratelimit-limit-tokens': '10000',
      'x-ratelimit-reset-requests': expect.any(String),
      'x-ratelimit-reset-tokens': expect.any(String),
    });
    expect((await request({ key: k })).state.responseHeaders?.['x-ratelimit-remaining-requests']).toBe('0');
    const third = await request({ key: k });
    expect(isGatewayError(third.error)).toBe(true);
    const e = toOpenAIError(third.error, 'r');
    expect(e.status).toBe(429);
    expect(e.body.error).toMatchObject({ type: 'rate_limit_error', code: '429' });
    expect(e.body.error.message).toContain('2 requests per minute');
    expect(e.body.error.message).not.toContain('k1'); // the key hash is never shown
    expect(Number(e.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(e.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect((await limiter.inspect('key:k1')).requests).toBe(2);
  });

  it('reserves the estimated tokens against tpm', async () => {
    const { request, limiter } = setup();
    const body = chatBody('abcdefgh', 50);
    await request({ key: key([scope('key', 'k', { tpmLimit: 1000 })]), body });
    expect((await limiter.inspect('key:k')).tokens).toBe(estimateRequestTokens(body, 'chat'));
  });

  it('a team refusal names the team and consumes nothing from the key', async () => {
    const { request, limiter } = setup();
    const k = key([
      scope('key', 'k', { rpmLimit: 100 }),
      scope('team', 'team-a', { maxParallelRequests: 1 }),
    ]);
    expect((await request({ key: k })).error).toBeNull();
    const refused = await request({ key: k });
    expect(toOpenAIError(refused.error, 'r').body.error.message).toContain('team team-a');
    expect((await limiter.inspect('key:k')).requests).toBe(1);
  });

  it('deployment rpm applies to every caller, the master key too', async () => {
    const { request } = setup();
    const d = deployment({ rpm: 1 });
    expect((await request({ key: key([]), deployment: d })).error).toBeNull();
    const refused = await request({ key: key([]), deployment: d });
    expect(toOpenAIError(refused.error, 'r').body.error.message).toContain('deployment gpt-4o');
  });

  it('budget: reserves the worst case and refuses with 429 budget_exceeded, x-should-retry false, retry-after until the reset', async () => {
    const { request, limiter } = setup();
    const d = deployment();
    const body = chatBody('hello', 100);
    const worst = worstCaseMicros(body, 'chat', priceFor(d)!, 16_384);
    expect(worst).toBe(Math.ceil((5 + 4 + 3) * 2.5 + 100 * 10));
    const resetAt = Date.now() + 2 * 3_600_000;
    const k = key([
      scope('key', 'k', {
        maxBudgetMicros: worst * 2,
        budgetResetAt: resetAt,
        budgetDuration: '1d',
        spendMicros: 0,
      }),
    ]);
    expect((await request({ key: k, deployment: d, body })).error).toBeNull();
    expect((await request({ key: k, deployment: d, body })).error).toBeNull();
    expect(await limiter.inspect('key:k')).toMatchObject({ spentMicros: 0, reservedMicros: 2 * worst });
    const refused = await request({ key: k, deployment: d, body });
    const e = toOpenAIError(refused.error, 'r');
    expect(e.status).toBe(429);
    expect(e.body.error.type).toBe('budget_exceeded');
    expect(e.body.error.message).toMatch(
      /^Budget has been exceeded for key! Current cost: 0\.00\d+, Max budget: 0\.00\d+$/,
    );
    expect(e.headers['x-should-retry']).toBe('false');
    expect(Number(e.headers['retry-after'])).toBeGreaterThan(7100);
  });

  it('budget already spent in the database is refused at once; no reset means no retry-after', async () => {
    const { request } = setup();
    const k = key([scope('user', 'u1', { maxBudgetMicros: 1000, spendMicros: 1000 })]);
    const e = toOpenAIError((await request({ key: k })).error, 'r');
    expect(e.body.error.type).toBe('budget_exceeded');
    expect(e.body.error.message).toContain('user u1');
    expect(e.headers['retry-after']).toBeUndefined();
  });

  it('an unpriced deployment reserves nothing but a spent budget still binds', async () => {
    const { request, limiter } = setup();
    const d = deployment({ model: 'private-model', modelName: 'private', id: 'p#0' });
    const k = key([scope('key', 'k', { maxBudgetMicros: 10 })]);
    expect((await request({ key: k, deployment: d })).error).toBeNull();
    expect((await limiter.inspect('key:k')).reservedMicros).toBe(0);
  });
});

describe('limits plugin: finish', () => {
  it('settles the real usage and cost', async () => {
    const { request, finish, limiter } = setup();
    const k = key([
      scope('key', 'k', { tpmLimit: 10_000, maxParallelRequests: 1, maxBudgetMicros: 1_000_000 }),
    ]);
    const { state } = await request({ key: k });
    await finish(
      state,
      summary({ usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 }, costMicros: 123 }),
    );
    expect(await limiter.inspect('key:k')).toEqual({
      requests: 1,
      tokens: 10,
      parallel: 0,
      spentMicros: 123,
      reservedMicros: 0,
    });
  });

  it('refunds a request that never reached the upstream', async () => {
    const { request, finish, limiter } = setup();
    const k = key([scope('key', 'k', { rpmLimit: 1, maxParallelRequests: 1, maxBudgetMicros: 1_000_000 })]);
    const { state } = await request({ key: k });
    await finish(state, summary({ upstreamCalled: false, usage: null, costMicros: 0, status: 400 }));
    expect(await limiter.inspect('key:k')).toEqual({
      requests: 0,
      tokens: 0,
      parallel: 0,
      spentMicros: 0,
      reservedMicros: 0,
    });
    expect((await request({ key: k })).error).toBeNull();
  });

  it('an upstream failure frees the slot and reservation but the request still counts', async () => {
    const { request, finish, limiter } = setup();
    const k = key([scope('key', 'k', { rpmLimit: 5, maxParallelRequests: 1, maxBudgetMicros: 1_000_000 })]);
    const { state } = await request({ key: k });
    await finish(state, summary({ status: 502, usage: null, costMicros: 0 }));
    expect(await limiter.inspect('key:k')).toMatchObject({
      requests: 1,
      parallel: 0,
      spentMicros: 0,
      reservedMicros: 0,
    });
  });

  it('a client abort mid-stream settles the estimated usage and frees the slot', async () => {
    const { request, finish, limiter } = setup();
    const k = key([scope('key', 'k', { maxParallelRequests: 1, maxBudgetMicros: 1_000_000 })]);
    const { state } = await request({ key: k });
    expect((await request({ key: k })).error).not.toBeNull();
    await finish(state, summary({ aborted: true, stream: true, usageEstimated: true, costMicros: 40 }));
    expect(await limiter.inspect('key:k')).toMatchObject({ parallel: 0, spentMicros: 40 });
    expect((await request({ key: k })).error).toBeNull();
  });

  it('runs through the driver: finish fires in the background and frees the slot', async () => {
    const { request, driver, limiter } = setup();
    const k = key([scope('key', 'k', { maxParallelRequests: 1 })]);
    const { state } = await request({ key: k });
    driver.finish(state, summary());
    await vi.waitFor(async () => expect((await limiter.inspect('key:k')).parallel).toBe(0));
  });

  it('a request whose admission outlived the hook timeout gives everything back at finish', async () => {
    const inner = new MemoryRateLimiter({ logger: createMemoryLogger() });
    const slow: RateLimiter = Object.assign(Object.create(inner) as RateLimiter, {
      admit: async (...args: Parameters<RateLimiter['admit']>): Promise<Admission> => {
        await new Promise((r) => setTimeout(r, 60));
        return inner.admit(...args);
      },
      settle: inner.settle.bind(inner),
      release: inner.release.bind(inner),
      inspect: inner.inspect.bind(inner),
      close: inner.close.bind(inner),
    });
    const { request, finish } = setup({ limiter: slow, hookTimeoutMs: 10 });
    const k = key([scope('key', 'k', { rpmLimit: 1, maxParallelRequests: 1 })]);
    const { state, error } = await request({ key: k });
    expect(error).toBeInstanceOf(PluginError);
    await finish(state, summary({ upstreamCalled: false, usage: null, status: 500 }));
    expect(await inner.inspect('key:k')).toMatchObject({ requests: 0, parallel: 0 });
  });
});

describe('limits plugin: limiter failure', () => {
  const broken = (): RateLimiter => ({
    kind: 'memory',
    admit: async () => {
      throw new Error('redis down');
    },
    settle: async () => {},
    release: async () => {},
    inspect: async () => ({ requests: 0, tokens: 0, parallel: 0, spentMicros: null, reservedMicros: null }),
    close: async () => {},
  });

  it('fails closed by default (a 500, never a silent overspend)', async () => {
    const { request } = setup({ limiter: broken() });
    const { error } = await request({ key: key([scope('key', 'k', { rpmLimit: 1 })]) });
    expect(error).toBeInstanceOf(PluginError);
    expect(toOpenAIError(error, 'r').status).toBe(500);
  });

  it('an unreachable Redis fails fast, within the hook timeout: closed by default, open when asked', async () => {
    const unreachable = () =>
      createRateLimiter({ redisUrl: 'redis://127.0.0.1:1', logger: createMemoryLogger() });
    const k = key([scope('key', 'k', { rpmLimit: 1 })]);
    const closed = setup({ limiter: unreachable() });
    const t0 = performance.now();
    const refused = await closed.request({ key: k });
    expect(toOpenAIError(refused.error, 'r').status).toBe(500);
    expect(String((refused.error as Error).message)).not.toContain('timed out');
    const open = setup({ limiter: unreachable(), failOpen: true });
    expect((await open.request({ key: k })).error).toBeNull();
    expect(performance.now() - t0).toBeLessThan(1900);
  });

  it('concurrent requests whose admissions share one failed Redis call all fail closed, or all open', async () => {
    // The Redis limiter sends the admissions of one tick as one script call: its error is every request's.
    const unreachable = () =>
      createRateLimiter({ redisUrl: 'redis://127.0.0.1:1', logger: createMemoryLogger() });
    const k = key([scope('key', 'k', { rpmLimit: 1 })]);
    const closed = setup({ limiter: unreachable() });
    const refused = await Promise.all(Array.from({ length: 4 }, () => closed.request({ key: k })));
    for (const { error } of refused) {
      expect(error).toBeInstanceOf(PluginError);
      expect(toOpenAIError(error, 'r').status).toBe(500);
    }
    const open = setup({ limiter: unreachable(), failOpen: true });
    const served = await Promise.all(Array.from({ length: 4 }, () => open.request({ key: k })));
    expect(served.map((r) => r.error)).toEqual([null, null, null, null]);
    expect(open.logger.lines.filter((l) => l.includes('rate limiter unavailable'))).toHaveLength(4);
  });

  it('a Redis that accepts but never answers is bounded by the command timeout, not the hook timeout', async () => {
    const sockets = new Set<Socket>();
    const blackhole = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    const port = (blackhole.address() as AddressInfo).port;
    try {
      const limiter = createRateLimiter({
        redisUrl: `redis://127.0.0.1:${port}`,
        logger: createMemoryLogger(),
      });
      const { request } = setup({ limiter });
      const t0 = performance.now();
      const { error } = await request({ key: key([scope('key', 'k', { rpmLimit: 1 })]) });
      expect(error).toBeInstanceOf(PluginError);
      expect((error as Error).message).toContain('Command timed out'); // ioredis, not the hook driver
      expect(performance.now() - t0).toBeLessThan(990);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => blackhole.close(resolve));
    }
  });

  it('failOpen serves the request and logs an error', async () => {
    const { request, logger, finish } = setup({ limiter: broken(), failOpen: true });
    const { state, error } = await request({ key: key([scope('key', 'k', { rpmLimit: 1 })]) });
    expect(error).toBeNull();
    expect(logger.lines.some((l) => l.includes('rate limiter unavailable'))).toBe(true);
    await finish(state, summary());
  });
});
