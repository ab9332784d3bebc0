import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@warden/testkit';
import { chat, defaultConfig, sseEvents, startTestGateway, type TestGateway } from './harness.ts';

const finishLog = join(mkdtempSync(join(tmpdir(), 'plugin-')), 'finish.jsonl');
let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway(
    (mockUrl) => ({
      ...defaultConfig(mockUrl),
      plugins: [
        {
          package: 'warden-plugin-example',
          options: { blockWord: 'forbidden', systemPrompt: 'Be brief.', redact: ['mock'], finishLog },
        },
      ],
    }),
    // Resolve the plugin package from this app's folder, as a config file here would.
    { dir: join(import.meta.dirname, '..') },
  );
});
afterAll(() => t.close());

describe('a third-party plugin loaded by package name from plugins:', () => {
  it('can refuse a request before the upstream', async () => {
    const res = await t.call(
      '/v1/chat/completions',
      chat({ messages: [{ role: 'user', content: 'a forbidden word' }] }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({
      message: 'messages must not contain "forbidden"',
      type: 'bad_request_error',
      param: 'messages',
      code: '400',
    });
    expect(t.mock.requests).toHaveLength(0);
  });

  it('can change the request the upstream receives', async () => {
    t.mock.reset();
    expect((await t.call('/v1/chat/completions', chat())).status).toBe(200);
    const messages = (t.mock.requests[0]!.body as { messages: Array<{ role: string; content: string }> })
      .messages;
    expect(messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });

  it('transforms stream chunks and non-streamed answers', async () => {
    const s = await t.call('/v1/chat/completions', chat({ stream: true }));
    const text = (await sseEvents(s))
      .slice(0, -1)
      .map((e) => JSON.parse(e).choices[0]?.delta?.content ?? '')
      .join('');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('mock');
    const whole = await (await t.call('/v1/chat/completions', chat())).json();
    expect(whole.choices[0].message.content).toContain('[redacted]');
  });

  it('observes the finish with usage', async () => {
    await waitFor(() => readFileSync(finishLog, 'utf8').trim().split('\n').length >= 3, { timeoutMs: 3000 });
    const lines = readFileSync(finishLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const ok = lines.filter((l) => l.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.every((l) => l.usage.total_tokens > 0)).toBe(true);
    expect(lines.some((l) => l.status === 400)).toBe(true);
  });

  it('refuses invalid plugin options at start-up, naming the plugin', async () => {
    await expect(
      startTestGateway(
        (mockUrl) => ({
          ...defaultConfig(mockUrl),
          plugins: [{ package: 'warden-plugin-example', options: { redact: 'x' } }],
        }),
        {
          dir: join(import.meta.dirname, '..'),
        },
      ),
    ).rejects.toThrow('plugin example: invalid options: redact: must be an array of strings');
  });

  it('refuses a plugin package that cannot be found', async () => {
    await expect(
      startTestGateway((mockUrl) => ({ ...defaultConfig(mockUrl), plugins: ['warden-plugin-nope'] })),
    ).rejects.toThrow(/plugin warden-plugin-nope: package not found/);
  });
});
