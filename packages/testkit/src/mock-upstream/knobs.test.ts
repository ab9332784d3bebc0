import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../wait-for.ts';
import { startMockUpstream } from './server.ts';
import { post, sseData } from './test-client.ts';
import type { MockUpstream } from './types.ts';

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
const streamChat = { ...chat, stream: true };

/** Read a streaming body until `until(text)` holds or `ms` pass; returns what arrived and whether it ended. */
async function readFor(res: Response, ms: number, until: (text: string) => boolean = () => false) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  let error: unknown = null;
  const deadline = Date.now() + ms;
  while (!until(text)) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), left));
    try {
      const next = await Promise.race([reader.read(), timeout]);
      if (next === 'timeout') break;
      if (next.done) {
        ended = true;
        break;
      }
      text += decoder.decode(next.value, { stream: true });
    } catch (err) {
      error = err;
      break;
    }
  }
  return { text, ended, error, cancel: () => reader.cancel().catch(() => {}) };
}

describe('mock upstream: knobs', () => {
  let mock: MockUpstream;
  beforeAll(async () => {
    mock = await startMockUpstream();
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it('latencyMs delays the response headers', async () => {
    mock.set({ latencyMs: 150 });
    const t0 = Date.now();
    const res = await post(`${mock.url}/chat/completions`, chat);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('chunks sets the number of content chunks and the completion tokens', async () => {
    mock.set({ chunks: 12 });
    const frames = sseData(await (await post(`${mock.url}/chat/completions`, streamChat)).text());
    expect(frames).toHaveLength(1 + 12 + 1 + 1);
    const res = await (await post(`${mock.url}/chat/completions`, chat)).json();
    expect(res.usage.completion_tokens).toBe(12);
  });

  it('chunkDelayMs spaces the chunks out', async () => {
    mock.set({ chunks: 3, chunkDelayMs: 60 });
    const t0 = Date.now();
    const text = await (await post(`${mock.url}/chat/completions`, streamChat)).text();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3 * 60 - 10);
    expect(sseData(text).at(-1)).toBe('[DONE]');
  });

  it('status answers with an OpenAI error (default body, custom body, extra headers)', async () => {
    mock.set({ status: 429, errorHeaders: { 'retry-after': '7' } });
    const res = await post(`${mock.url}/chat/completions`, chat);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((await res.json()).error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });

    const custom = { error: { message: 'boom', type: 'server_error', param: null, code: null } };
    mock.set({ status: 503, errorBody: custom, errorHeaders: {} });
    const res2 = await post(`${mock.url}/chat/completions`, streamChat);
    expect(res2.status).toBe(503);
    expect(await res2.json()).toEqual(custom);

    mock.set({ status: 500, errorBody: 'not json at all' });
    const res3 = await post(`${mock.url}/chat/completions`, chat);
    expect(await res3.text()).toBe('not json at all');
  });

  it('malformed sends invalid JSON, or a broken SSE frame without [DONE]', async () => {
    mock.set({ malformed: true });
    const res = await post(`${mock.url}/chat/completions`, chat);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
    const text = await (await post(`${mock.url}/chat/completions`, streamChat)).text();
    expect(text).not.toContain('[DONE]');
    expect(() => sseData(text)).toThrow();
  });

  it('reset destroys the socket without an answer (not counted as a client abort)', async () => {
    mock.set({ reset: true });
    await expect(post(`${mock.url}/chat/completions`, chat)).rejects.toThrow();
    await mock.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(mock.requests[0]?.aborted).toBe(false);
    expect(mock.requests[0]?.status).toBe(0);
  });

  it('hang never answers; the client giving up marks the request aborted', async () => {
    mock.set({ hang: true });
    const ac = new AbortController();
    const pending = post(`${mock.url}/chat/completions`, chat, undefined, ac.signal);
    await mock.waitForRequests(1);
    const raced = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('silent'), 150)),
    ]);
    expect(raced).toBe('silent');
    expect(mock.requests[0]?.aborted).toBe(false);
    ac.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => mock.requests[0]?.aborted, { timeoutMs: 2000 });
    expect(mock.stats.aborted).toBe(1);
  });

  it('a client disconnecting mid-stream marks the request aborted', async () => {
    mock.set({ chunks: 50, chunkDelayMs: 20 });
    const res = await post(`${mock.url}/chat/completions`, streamChat);
    const got = await readFor(res, 2000, (t) => t.includes('"content":"Hello"'));
    expect(got.text).toContain('Hello');
    await got.cancel();
    await waitFor(() => mock.requests[0]?.aborted, { timeoutMs: 2000 });
  });

  it('a completed request is not aborted', async () => {
    await (await post(`${mock.url}/chat/completions`, streamChat)).text();
    await new Promise((r) => setTimeout(r, 20));
    expect(mock.requests[0]?.aborted).toBe(false);
    expect(mock.stats.aborted).toBe(0);
  });

  it('hangAfterChunks sends n content chunks then goes silent', async () => {
    mock.set({ hangAfterChunks: 2 });
    const res = await post(`${mock.url}/chat/completions`, streamChat);
    const got = await readFor(res, 300);
    await got.cancel();
    expect(got.ended).toBe(false);
    const frames = sseData(got.text) as Array<{ choices: Array<{ delta: { content?: string } }> }>;
    expect(frames).toHaveLength(3); // role + 2 content
    expect(frames.map((f) => f.choices[0]?.delta.content).join('')).toBe('Hello from');
  });

  it('errorAfterChunks sends n content chunks then destroys the socket', async () => {
    mock.set({ errorAfterChunks: 1 });
    const res = await post(`${mock.url}/chat/completions`, streamChat);
    const got = await readFor(res, 2000);
    expect(got.error).not.toBeNull();
    expect(got.text).toContain('"content":"Hello"');
    expect(got.text).not.toContain('[DONE]');
    expect(mock.requests[0]?.aborted).toBe(false);
  });

  it("usage: 'never' drops usage even when asked", async () => {
    mock.set({ usage: 'never' });
    const frames = sseData(
      await (
        await post(`${mock.url}/chat/completions`, { ...streamChat, stream_options: { include_usage: true } })
      ).text(),
    ) as Array<{ usage?: unknown } | string>;
    expect(frames.some((f) => typeof f === 'object' && f.usage)).toBe(false);
    const body = await (await post(`${mock.url}/chat/completions`, chat)).json();
    expect(body.usage).toBeUndefined();
  });

  it('fixedContent is answered and split across chunks', async () => {
    mock.set({ fixedContent: 'my ssn is 123-45-6789', chunks: 4 });
    const body = await (await post(`${mock.url}/chat/completions`, chat)).json();
    expect(body.choices[0].message.content).toBe('my ssn is 123-45-6789');
    const frames = sseData(await (await post(`${mock.url}/chat/completions`, streamChat)).text()) as Array<{
      choices: Array<{ delta: { content?: string } }>;
    }>;
    const pieces = frames.slice(1, -2).map((f) => f.choices[0]?.delta.content);
    expect(pieces).toHaveLength(4);
    expect(pieces.join('')).toBe('my ssn is 123-45-6789');
  });

  it('per-model behaviors apply only to that model', async () => {
    mock.set({ behaviors: { 'broken-model': { status: 500 } } });
    const bad = await post(`${mock.url}/chat/completions`, { ...chat, model: 'broken-model' });
    expect(bad.status).toBe(500);
    await bad.arrayBuffer();
    const good = await post(`${mock.url}/chat/completions`, chat);
    expect(good.status).toBe(200);
    await good.arrayBuffer();
  });

  it('queue applies one-shot behaviours in order, then back to normal', async () => {
    mock.queue({ status: 502 }, { status: 429 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(`${mock.url}/chat/completions`, chat);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([502, 429, 200]);
  });

  it('reset() clears records, counters and runtime knobs back to the start options', async () => {
    const m = await startMockUpstream({ chunks: 2 });
    try {
      m.set({ status: 500, chunks: 9 });
      await (await post(`${m.url}/chat/completions`, chat)).arrayBuffer();
      m.reset();
      expect(m.requests).toHaveLength(0);
      expect(m.stats.requests).toBe(0);
      const body = await (await post(`${m.url}/chat/completions`, chat)).json();
      expect(body.usage.completion_tokens).toBe(2);
    } finally {
      await m.close();
    }
  });

  it('close() ends hanging responses', async () => {
    const m = await startMockUpstream({ hang: true });
    const pending = post(`${m.url}/chat/completions`, chat);
    await m.waitForRequests(1);
    await m.close();
    await expect(pending).rejects.toThrow();
  });
});
