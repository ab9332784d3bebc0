import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockUpstream } from './server.ts';
import { type JsonResponse, post, sseData } from './test-client.ts';
import type { MockUpstream } from './types.ts';

const KEY = 'sk-up';
const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello world!' }] };

describe('mock upstream: strict like OpenAI', () => {
  let mock: MockUpstream;
  beforeAll(async () => {
    mock = await startMockUpstream({ apiKey: KEY });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it('answers a chat completion with deterministic usage', async () => {
    const res = await post(`${mock.url}/chat/completions`, chat, KEY);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await res.json();
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello from the mock upstream' },
          finish_reason: 'stop',
        },
      ],
      // 'hello world!' = 12 chars → 3 prompt tokens; 5 chunks → 5 completion tokens
      usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
    });
    expect(body.id).toMatch(/^chatcmpl-/);
  });

  it('401 with OpenAI error JSON on a wrong or missing key', async () => {
    const wrong = await post(`${mock.url}/chat/completions`, chat, 'sk-wrong');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      error: {
        message: expect.stringMatching(/^Incorrect API key provided/),
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
    const missing = await post(`${mock.url}/chat/completions`, chat);
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.type).toBe('invalid_request_error');
  });

  it('400 for metadata without store: true, accepted with store: true', async () => {
    const res = await post(`${mock.url}/chat/completions`, { ...chat, metadata: { project: 'x' } }, KEY);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: "The 'metadata' parameter is only allowed when 'store' is enabled.",
        type: 'invalid_request_error',
        param: 'metadata',
        code: null,
      },
    });
    const ok = await post(
      `${mock.url}/chat/completions`,
      { ...chat, metadata: { project: 'x' }, store: true },
      KEY,
    );
    expect(ok.status).toBe(200);
  });

  it.each(['tags', 'mock_response', 'litellm_trace_id', 'guardrails'])(
    '400 for unknown field %s',
    async (field) => {
      const res = await post(`${mock.url}/chat/completions`, { ...chat, [field]: 'x' }, KEY);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toEqual({
        message: `Unrecognized request argument supplied: ${field}`,
        type: 'invalid_request_error',
        param: null,
        code: null,
      });
    },
  );

  it('400 for missing model, missing messages, invalid JSON, stream_options without stream', async () => {
    const noModel = await post(`${mock.url}/chat/completions`, { messages: chat.messages }, KEY);
    expect(noModel.status).toBe(400);
    expect((await noModel.json()).error.message).toBe('you must provide a model parameter');

    const noMessages = await post(`${mock.url}/chat/completions`, { model: 'gpt-4o-mini' }, KEY);
    expect(noMessages.status).toBe(400);
    expect((await noMessages.json()).error.param).toBe('messages');

    const badJson = await post(`${mock.url}/chat/completions`, '{"model": ', KEY);
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).error.message).toMatch(/could not parse the JSON body/);

    const so = await post(
      `${mock.url}/chat/completions`,
      { ...chat, stream_options: { include_usage: true } },
      KEY,
    );
    expect(so.status).toBe(400);
    expect((await so.json()).error.param).toBe('stream_options');
  });

  it('404 for unknown routes and wrong methods', async () => {
    const res = await post(`${mock.url}/chat/complete`, chat, KEY);
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toBe('Invalid URL (POST /v1/chat/complete)');
    const get = await fetch(`${mock.url}/chat/completions`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(get.status).toBe(404);
    await get.arrayBuffer();
  });

  it('streams chunks and sends the usage-only chunk only when include_usage is true', async () => {
    const plain = await post(`${mock.url}/chat/completions`, { ...chat, stream: true }, KEY);
    expect(plain.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = sseData(await plain.text());
    // role chunk + 5 content chunks + finish chunk + [DONE]
    expect(frames).toHaveLength(8);
    expect(frames.at(-1)).toBe('[DONE]');
    const objs = frames.slice(0, -1) as Array<{
      choices: Array<{ delta: { content?: string }; finish_reason: string | null }>;
      usage?: unknown;
    }>;
    expect(objs.every((f) => f.choices.length === 1 && !('usage' in f))).toBe(true);
    expect(objs.map((f) => f.choices[0]?.delta.content ?? '').join('')).toBe('Hello from the mock upstream');
    expect(objs.at(-1)?.choices[0]?.finish_reason).toBe('stop');

    const withUsage = await post(
      `${mock.url}/chat/completions`,
      { ...chat, stream: true, stream_options: { include_usage: true } },
      KEY,
    );
    const uframes = sseData(await withUsage.text());
    expect(uframes).toHaveLength(9);
    expect(uframes.at(-1)).toBe('[DONE]');
    expect(uframes.at(-2)).toMatchObject({
      object: 'chat.completion.chunk',
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
    });
  });

  it('completions: non-stream and stream', async () => {
    const body = { model: 'gpt-3.5-turbo-instruct', prompt: 'abcdefgh' };
    const res = await post(`${mock.url}/completions`, body, KEY);
    expect(await res.json()).toMatchObject({
      object: 'text_completion',
      choices: [{ text: 'Hello from the mock upstream', finish_reason: 'stop' }],
      usage: { prompt_tokens: 2, completion_tokens: 5, total_tokens: 7 },
    });
    const s = await post(
      `${mock.url}/completions`,
      { ...body, stream: true, stream_options: { include_usage: true } },
      KEY,
    );
    const frames = sseData(await s.text()) as Array<
      { choices: Array<{ text: string }>; usage?: unknown } | string
    >;
    expect(frames).toHaveLength(8); // 5 text + finish + usage + [DONE]
    expect(frames.at(-2)).toMatchObject({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 5 } });
  });

  it('embeddings: deterministic vectors, dimensions, base64, usage', async () => {
    const body = { model: 'text-embedding-3-small', input: ['abcd', 'efgh'], dimensions: 4 };
    const a = await (await post(`${mock.url}/embeddings`, body, KEY)).json();
    const b = await (await post(`${mock.url}/embeddings`, body, KEY)).json();
    expect(a).toEqual(b);
    expect(a.data).toHaveLength(2);
    expect(a.data[0].embedding).toHaveLength(4);
    expect(a.data[0].embedding).not.toEqual(a.data[1].embedding);
    expect(a.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    const b64 = await (
      await post(`${mock.url}/embeddings`, { ...body, encoding_format: 'base64' }, KEY)
    ).json();
    const floats = new Float32Array(Uint8Array.from(Buffer.from(b64.data[0].embedding, 'base64')).buffer);
    expect(floats).toHaveLength(4);
    expect(floats[0]).toBeCloseTo(a.data[0].embedding[0], 5);
  });

  it('GET /v1/models lists models', async () => {
    const res = (await fetch(`${mock.url}/models`, {
      headers: { authorization: `Bearer ${KEY}` },
    })) as JsonResponse;
    const body = await res.json();
    expect(body.object).toBe('list');
    expect(body.data.map((m: { id: string }) => m.id)).toContain('gpt-4o-mini');
  });

  it('records requests (headers, parsed and raw body) and waits for them', async () => {
    const pending = mock.waitForRequests(2);
    await post(`${mock.url}/chat/completions`, chat, KEY);
    await post(`${mock.url}/chat/completions`, { ...chat, user: 'u1' }, KEY);
    const reqs = await pending;
    expect(reqs).toHaveLength(2);
    expect(reqs[1]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: { ...chat, user: 'u1' },
      aborted: false,
      status: 200,
    });
    expect(reqs[1]?.rawBody).toBe(JSON.stringify({ ...chat, user: 'u1' }));
    expect(reqs[1]?.headers.authorization).toBe(`Bearer ${KEY}`);
    await expect(mock.waitForRequests(3, 50)).rejects.toThrow(/waited 50ms for 3 requests, got 2/);
  });

  it('counter-only mode records nothing but counts', async () => {
    const bench = await startMockUpstream({ record: false });
    try {
      await (await post(`${bench.url}/chat/completions`, chat)).arrayBuffer();
      await (await post(`${bench.url}/chat/completions`, chat)).arrayBuffer();
      expect(bench.requests).toHaveLength(0);
      expect(bench.stats.requests).toBe(2);
      await bench.waitForRequests(2);
    } finally {
      await bench.close();
    }
  });
});
