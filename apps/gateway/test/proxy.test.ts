import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chat, MASTER_KEY, sseEvents, startTestGateway, type TestGateway, UPSTREAM_KEY } from './harness.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());
beforeEach(() => t.mock.reset());

describe('OpenAI-compatible proxy', () => {
  it('answers a chat call from the upstream, with and without /v1', async () => {
    for (const path of ['/v1/chat/completions', '/chat/completions']) {
      const res = await t.call(path, chat());
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.object).toBe('chat.completion');
      expect(body.usage.total_tokens).toBeGreaterThan(0);
      expect(res.headers.get('x-warden-model-id')).toBe('gpt-4o-mini#0');
      expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
      expect(res.headers.get('x-warden-response-cost')).not.toBeNull();
      expect(Number(res.headers.get('x-warden-overhead-duration-ms'))).toBeGreaterThanOrEqual(0);
    }
  });

  it('echoes the client request id', async () => {
    const res = await t.call('/v1/chat/completions', chat(), {
      headers: { 'x-request-id': 'client-id-123' },
    });
    expect(res.headers.get('x-request-id')).toBe('client-id-123');
  });

  it('builds upstream headers fresh: the deployment key, never the client key or headers', async () => {
    await t.call('/v1/chat/completions', chat(), { headers: { 'x-custom-secret': 'nope', cookie: 'a=b' } });
    const seen = t.mock.requests[0]!;
    expect(seen.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.stringify(seen.headers)).not.toContain(MASTER_KEY);
    expect(seen.headers['x-custom-secret']).toBeUndefined();
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers['x-request-id']).toBeDefined();
  });

  it('removes the gateway fields before the strict upstream sees them', async () => {
    const res = await t.call(
      '/v1/chat/completions',
      chat({ metadata: { project: 'p1' }, tags: ['a'], litellm_trace_id: 'x', warden_note: 'y', user: 'u1' }),
    );
    expect(res.status).toBe(200);
    const body = t.mock.requests[0]!.body as Record<string, unknown>;
    expect(body.metadata).toBeUndefined();
    expect(body.tags).toBeUndefined();
    expect(body.litellm_trace_id).toBeUndefined();
    expect(body.warden_note).toBeUndefined();
    expect(body.user).toBe('u1');
  });

  it('forwards the raw bytes when nothing had to change', async () => {
    const raw = '{"model":"gpt-4o-mini",   "messages":[{"role":"user","content":"exact bytes"}]}';
    const res = await t.call('/v1/chat/completions', raw);
    expect(res.status).toBe(200);
    expect(t.mock.requests[0]!.rawBody).toBe(raw);
  });

  it('streams SSE and hides the usage chunk from a client that did not ask for it', async () => {
    const res = await t.call('/v1/chat/completions', chat({ stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = await sseEvents(res);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    // Warden asked the upstream for usage on the client's behalf.
    expect((t.mock.requests[0]!.body as { stream_options: unknown }).stream_options).toEqual({
      include_usage: true,
    });
  });

  it('keeps the usage chunk for a client that asked for it', async () => {
    const res = await t.call(
      '/v1/chat/completions',
      chat({ stream: true, stream_options: { include_usage: true } }),
    );
    const events = (await sseEvents(res)).slice(0, -1).map((e) => JSON.parse(e));
    const last = events.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage.total_tokens).toBeGreaterThan(0);
  });

  it('serves completions and embeddings', async () => {
    const c = await t.call('/v1/completions', { model: 'gpt-4o-mini', prompt: 'Say hi' });
    expect(c.status).toBe(200);
    expect((await c.json()).object).toBe('text_completion');
    const e = await t.call('/v1/embeddings', { model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(e.status).toBe(200);
    const body = await e.json();
    expect(body.data).toHaveLength(2);
  });

  it('answers from the built-in mock provider, mock_response included, streaming too', async () => {
    const res = await t.call('/v1/chat/completions', {
      model: 'mock-model',
      messages: [{ role: 'user', content: 'x' }],
      mock_response: 'canned answer',
    });
    expect((await res.json()).choices[0].message.content).toBe('canned answer');
    const s = await t.call('/v1/chat/completions', {
      model: 'mock-model',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const text = (await sseEvents(s))
      .slice(0, -1)
      .map((e) => JSON.parse(e).choices[0]?.delta?.content ?? '')
      .join('');
    expect(text).toContain('mock response');
    expect(t.mock.requests).toHaveLength(0);
  });

  it('lists models from the config without calling a provider', async () => {
    for (const path of ['/v1/models', '/models']) {
      const res = await t.call(path);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.data.map((m: { id: string }) => m.id).sort()).toEqual([
        'gpt-4o-mini',
        'mock-model',
        'text-embedding-3-small',
      ]);
    }
    const info = await (await t.call('/v1/model/info')).json();
    expect(info.data[0].litellm_params.model).toBe('openai/gpt-4o-mini');
    expect(JSON.stringify(info)).not.toContain(UPSTREAM_KEY);
    expect(t.mock.requests).toHaveLength(0);
  });

  it('warns at start-up about models without a price', () => {
    const warning = t.logs.find((l) => l.includes('no price known'));
    expect(warning).toContain('mock-model#0');
    expect(t.logs.filter((l) => l.includes('no price known') && l.includes('gpt-4o-mini'))).toEqual([]);
  });

  it('answers health probes without a key', async () => {
    for (const path of ['/health/liveliness', '/health/liveness'])
      expect((await t.call(path, undefined, { key: null })).status).toBe(200);
    const ready = await t.call('/health/readiness', undefined, { key: null });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'healthy', db: 'connected' });
  });
});
