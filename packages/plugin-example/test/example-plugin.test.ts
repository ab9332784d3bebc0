import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlugin } from '@warden/core/testing';
import { describe, expect, it } from 'vitest';
import { plugin } from '../src/index.ts';

const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'm',
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('warden-plugin-example (in-process, through @warden/core/testing)', () => {
  it('refuses a request carrying the blocked word', async () => {
    const run = await runPlugin(plugin, {
      options: { blockWord: 'forbidden' },
      request: chat('a forbidden thing'),
    });
    expect(run.status).toBe(400);
    expect(run.body).toEqual({
      error: {
        message: 'messages must not contain "forbidden"',
        type: 'bad_request_error',
        param: 'messages',
        code: '400',
      },
    });
    expect(run.upstreamRequest).toBeNull();
  });

  it('prepends the system prompt before the upstream sees the request', async () => {
    const run = await runPlugin(plugin, { options: { systemPrompt: 'Be brief.' }, request: chat('hi') });
    expect(run.status).toBe(200);
    expect((run.upstreamRequest?.messages as unknown[] | undefined)?.[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });

  it('redacts streamed chunks and non-streamed answers', async () => {
    const streamed = await runPlugin(plugin, {
      options: { redact: ['secret'] },
      request: chat('x', { stream: true }),
      upstream: { content: 'the secret is out' },
    });
    const text = streamed.chunks.map((c) => (c.choices[0]?.delta as { content?: string } | undefined)?.content).join('');
    expect(text).toBe('the [redacted] is out');
    const whole = await runPlugin(plugin, {
      options: { redact: ['secret'] },
      request: chat('x'),
      upstream: { content: 'a secret' },
    });
    expect(JSON.stringify(whole.body)).toContain('a [redacted]');
  });

  it('observes the finish with usage', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'example-')), 'finish.jsonl');
    await runPlugin(plugin, {
      options: { finishLog: file },
      request: chat('x'),
      upstream: { content: 'one two', usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
    });
    const line = JSON.parse(readFileSync(file, 'utf8').trim());
    expect(line).toMatchObject({ status: 200, usage: { total_tokens: 5 } });
  });

  it('refuses invalid options at load', async () => {
    await expect(runPlugin(plugin, { options: { redact: 'secret' }, request: chat('x') })).rejects.toThrow(
      'plugin example: invalid options: redact: must be an array of strings',
    );
  });
});
