import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY, startTestGateway, type TestGateway } from './harness.ts';

let t: TestGateway;
let client: OpenAI;
beforeAll(async () => {
  t = await startTestGateway();
  client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${t.url}/v1`, maxRetries: 0 });
});
afterAll(() => t.close());

describe('the official openai SDK, unchanged', () => {
  it('chat', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.choices[0]?.message.content).toBeTruthy();
    expect(res.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('streaming with include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it('embeddings and models', async () => {
    const e = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(e.data[0]?.embedding.length).toBeGreaterThan(0);
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models).toContain('gpt-4o-mini');
  });

  it('typed errors', async () => {
    const bad = new OpenAI({ apiKey: 'sk-wrong-key', baseURL: `${t.url}/v1`, maxRetries: 0 });
    await expect(
      bad.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const err = await client.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe('model');
    expect(err.type).toBe('bad_request_error');
  });
});
