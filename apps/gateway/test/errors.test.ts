import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@warden/testkit';
import { chat, startTestGateway, type TestGateway, UPSTREAM_KEY } from './harness.ts';

let t: TestGateway;
const upstream = (name: string, mockUrl: string, extra: Record<string, unknown> = {}) => ({
  model_name: name,
  litellm_params: { model: `openai/${name}`, api_base: mockUrl, api_key: UPSTREAM_KEY, ...extra },
});

beforeAll(async () => {
  t = await startTestGateway((mockUrl) => ({
    model_list: [
      upstream('gpt-4o-mini', mockUrl),
      upstream('hang-model', mockUrl, { timeout: 1 }),
      upstream('bad-key-model', mockUrl, { api_key: 'sk-wrong' }),
      {
        model_name: 'dead-model',
        litellm_params: { model: 'openai/dead', api_base: 'http://127.0.0.1:9/v1', api_key: 'x' },
      },
    ],
    general_settings: { max_request_size_mb: 0.01 },
    router_settings: { num_retries: 1 },
  }));
});
afterAll(() => t.close());
beforeEach(() => t.mock.reset());

async function expectError(res: Response, status: number, type: string, param: string | null = null) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toEqual({ message: expect.any(String), type, param, code: String(status) });
  return body.error as { message: string };
}

describe('bad input gets a clear OpenAI-shaped error', () => {
  it('malformed JSON → 400', async () => {
    const e = await expectError(
      await t.call('/v1/chat/completions', '{"model": "gpt-4o-mini",'),
      400,
      'bad_request_error',
    );
    expect(e.message).toMatch(/Malformed JSON/);
  });

  it('JSON that is not an object → 400', async () => {
    await expectError(await t.call('/v1/chat/completions', '[1,2]'), 400, 'bad_request_error');
    await expectError(await t.call('/v1/chat/completions', '"text"'), 400, 'bad_request_error');
  });

  it('nesting deeper than 64 → 400', async () => {
    const deep = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"x":${'['.repeat(70)}${']'.repeat(70)}}`;
    const e = await expectError(await t.call('/v1/chat/completions', deep), 400, 'bad_request_error');
    expect(e.message).toContain('64');
  });

  it('missing or non-string model → 400 with param model', async () => {
    await expectError(
      await t.call('/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] }),
      400,
      'bad_request_error',
      'model',
    );
    await expectError(
      await t.call('/v1/chat/completions', chat({ model: 42 })),
      400,
      'bad_request_error',
      'model',
    );
    await expectError(
      await t.call('/v1/chat/completions', chat({ messages: 'hi' })),
      400,
      'bad_request_error',
      'messages',
    );
  });

  it('unknown model → 400 with param model, upstream untouched', async () => {
    const e = await expectError(
      await t.call('/v1/chat/completions', chat({ model: 'nope' })),
      400,
      'bad_request_error',
      'model',
    );
    expect(e.message).toContain('nope');
    expect(t.mock.requests).toHaveLength(0);
  });

  it('body over max_request_size_mb → 413 and the process lives on', async () => {
    const big = JSON.stringify(chat({ messages: [{ role: 'user', content: 'x'.repeat(200_000) }] }));
    await expectError(await t.call('/v1/chat/completions', big), 413, 'request_too_large');
    expect((await t.call('/v1/chat/completions', chat())).status).toBe(200);
  });

  it('missing or wrong key → 401 auth_error', async () => {
    const missing = await expectError(
      await t.call('/v1/chat/completions', chat(), { key: null }),
      401,
      'auth_error',
    );
    expect(missing.message.startsWith('Authentication Error, ')).toBe(true);
    await expectError(
      await t.call('/v1/chat/completions', chat(), { key: 'sk-not-a-real-key' }),
      401,
      'auth_error',
    );
    await expectError(await t.call('/v1/models', undefined, { key: 'sk-not-a-real-key' }), 401, 'auth_error');
  });

  it('no key → 401 before the body is read or judged', async () => {
    await expectError(await t.call('/v1/chat/completions', '{not json', { key: null }), 401, 'auth_error');
    const big = JSON.stringify(chat({ messages: [{ role: 'user', content: 'x'.repeat(200_000) }] }));
    await expectError(await t.call('/v1/chat/completions', big, { key: null }), 401, 'auth_error');
  });

  it('unknown route → 404', async () => {
    await expectError(await t.call('/v1/nothing-here'), 404, 'not_found_error');
  });
});

describe('upstream failures', () => {
  it('upstream unreachable → 502 upstream_error', async () => {
    await expectError(
      await t.call('/v1/chat/completions', chat({ model: 'dead-model' })),
      502,
      'upstream_error',
    );
  });

  it('upstream rejects the deployment key → 502 upstream_auth_error, not a 401', async () => {
    await expectError(
      await t.call('/v1/chat/completions', chat({ model: 'bad-key-model' })),
      502,
      'upstream_auth_error',
    );
  });

  it('upstream hangs → 504 after the configured timeout', async () => {
    t.mock.set({ behaviors: { 'hang-model': { hang: true } } });
    const started = Date.now();
    await expectError(
      await t.call('/v1/chat/completions', chat({ model: 'hang-model' })),
      504,
      'timeout_error',
    );
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5000);
  });

  it('upstream 4xx keeps its status, message and param', async () => {
    t.mock.queue({
      status: 422,
      errorBody: {
        error: {
          message: 'temperature is too hot',
          type: 'invalid_request_error',
          param: 'temperature',
          code: null,
        },
      },
    });
    const e = await expectError(
      await t.call('/v1/chat/completions', chat()),
      422,
      'bad_request_error',
      'temperature',
    );
    expect(e.message).toBe('temperature is too hot');
  });

  it('retries a 5xx once (num_retries: 1) and succeeds', async () => {
    t.mock.queue({ status: 503 });
    const res = await t.call('/v1/chat/completions', chat());
    expect(res.status).toBe(200);
    expect(t.mock.requests).toHaveLength(2);
  });

  it('upstream 429 beyond the retries keeps its status', async () => {
    t.mock.queue({ status: 429 }, { status: 429 });
    await expectError(await t.call('/v1/chat/completions', chat()), 429, 'rate_limit_error');
  });

  it('an error after the first stream chunk ends with a final SSE error frame', async () => {
    t.mock.set({ errorAfterChunks: 2, chunkDelayMs: 5 });
    const res = await t.call('/v1/chat/completions', chat({ stream: true }));
    expect(res.status).toBe(200);
    const text = await res.text();
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames.length).toBeGreaterThan(1);
    const last = JSON.parse(frames.at(-1)!.slice(5));
    expect(last.error).toMatchObject({ type: 'upstream_error', code: '502' });
  });

  it('a client that disconnects mid-stream aborts the upstream request', async () => {
    t.mock.set({ hangAfterChunks: 2 });
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${t.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer sk-test-master-key-0123456789abcdef',
          'content-type': 'application/json',
        },
      });
      req.on('response', (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err) => (err.message.includes('socket hang up') ? resolve() : reject(err)));
      req.end(JSON.stringify(chat({ stream: true })));
    });
    await waitFor(() => t.mock.requests[0]?.aborted === true, {
      timeoutMs: 3000,
      message: 'upstream request was not aborted',
    });
  });
});
