import { needs, startMockUpstream, stopAll, type MockUpstream } from '@warden/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase } from './support/pg.ts';
import { startWarden, type WardenProcess } from './support/warden.ts';

const pg = needs('pg', 'limits across replicas');
const redis = needs('redis', 'limits across replicas');

describe.skipIf(!pg.ok || !redis.ok)('limits and budgets shared by two replicas through Redis', () => {
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  let mock: MockUpstream;
  let a: WardenProcess;
  let b: WardenProcess;
  let teamId: string;

  beforeAll(async () => {
    db = await createTempDatabase(pg.url);
    mock = await startMockUpstream({ record: false });
    const config = {
      model_list: [
        { model_name: 'fast', litellm_params: { model: 'openai/fast', api_base: mock.url, api_key: 'x' } },
        { model_name: 'slow', litellm_params: { model: 'openai/slow', api_base: mock.url, api_key: 'x' } },
        {
          model_name: 'priced',
          litellm_params: {
            model: 'openai/priced',
            api_base: mock.url,
            api_key: 'x',
            input_cost_per_token: 0.00001,
            output_cost_per_token: 0.00002,
          },
        },
      ],
    };
    mock.set({ behaviors: { slow: { latencyMs: 300 } } });
    const env = { DATABASE_URL: db.url, REDIS_URL: redis.url };
    a = await startWarden({ config, env });
    b = await startWarden({ config, env });
    teamId = (await (await a.call('/team/new', { team_alias: 'limits' })).json()).team_id;
  });
  afterAll(async () => {
    await stopAll();
    await mock?.close();
    await db?.drop();
  });

  const chat = (model: string, extra: Record<string, unknown> = {}) => ({
    model,
    messages: [{ role: 'user', content: 'hi' }],
    ...extra,
  });
  const spread = (n: number, key: string, body: unknown) =>
    Promise.all(
      Array.from({ length: n }, (_, i) => (i % 2 === 0 ? a : b).call('/v1/chat/completions', body, key)),
    );

  it('rpm_limit 10: exactly 10 of 30 concurrent requests over both replicas succeed', async () => {
    const { key } = await (await a.call('/key/generate', { team_id: teamId, rpm_limit: 10 })).json();
    const results = await spread(30, key, chat('fast'));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await refused.json()).error.type).toBe('rate_limit_error');
  });

  it('max_parallel_requests 2: the peak in flight is exactly 2 and nothing hangs', async () => {
    const { key } = await (
      await a.call('/key/generate', { team_id: teamId, max_parallel_requests: 2 })
    ).json();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, mock.stats.inFlight)), 2);
    const results = await spread(10, key, chat('slow'));
    clearInterval(sampler);
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(2);
    expect(results.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(peak).toBe(2);
  });

  it('a budget worth exactly 5 calls admits 4 to 6 of 20, and spend equals what they cost', async () => {
    // Worst case of one call: (prompt bytes + 4 + 3) input tokens + max_tokens output tokens.
    const body = chat('priced', { max_tokens: 10 });
    const inputBound = Buffer.byteLength('hi') + 4 + 3;
    const worstMicros = inputBound * 10 + 10 * 20; // micro-dollars at the prices above
    const { key } = await (
      await a.call('/key/generate', { team_id: teamId, max_budget: (5 * worstMicros) / 1e6 })
    ).json();
    const results = await spread(20, key, body);
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(4);
    expect(ok.length).toBeLessThanOrEqual(6);
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length + ok.length).toBe(20);
    expect(refused[0]!.headers.get('x-should-retry')).toBe('false');
    const costs = ok.map((r) => Math.round(Number(r.headers.get('x-warden-response-cost')) * 1e6));
    const expected = costs.reduce((s, c) => s + c, 0);
    let spent = -1;
    for (let i = 0; i < 50 && spent !== expected; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const info = await (await b.call(`/key/info?key=${encodeURIComponent(key)}`)).json();
      spent = Math.round(info.info.spend * 1e6);
    }
    expect(spent).toBe(expected);
  });
});
