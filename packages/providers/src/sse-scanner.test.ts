import { describe, expect, it } from 'vitest';
import { SseScanner } from './sse-scanner.ts';

const chunk = (content: string) =>
  `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"${content}"}}],"usage":null}\n\n`;
const usage =
  'data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}\n\n';
const done = 'data: [DONE]\n\n';

function run(scanner: SseScanner, parts: string[]): string {
  let out = '';
  for (const p of parts) out += scanner.push(Buffer.from(p)).toString();
  return out + scanner.end().toString();
}

describe('SseScanner', () => {
  it('passes bytes through untouched and still finds usage', () => {
    const s = new SseScanner({ hideUsageChunk: false, transform: null });
    const input = chunk('a') + chunk('b') + usage + done;
    // Split mid-event to prove framing across reads.
    const out = run(s, [input.slice(0, 37), input.slice(37, 150), input.slice(150)]);
    expect(out).toBe(input);
    expect(s.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(s.done).toBe(true);
    expect(s.events).toBe(3);
  });

  it('drops the usage-only chunk when the client did not ask for usage', () => {
    const s = new SseScanner({ hideUsageChunk: true, transform: null });
    const out = run(s, [chunk('a'), usage.slice(0, 20), usage.slice(20), done]);
    expect(out).toBe(chunk('a') + done);
    expect(s.usage?.total_tokens).toBe(5);
    expect(s.events).toBe(1);
  });

  it('runs the transform on each chunk, dropping nulls', () => {
    const s = new SseScanner({
      hideUsageChunk: true,
      transform: (c) => {
        const delta = c.choices[0]?.delta as { content?: string } | undefined;
        if (delta?.content === 'drop') return null;
        return { ...c, choices: [{ index: 0, delta: { content: String(delta?.content).toUpperCase() } }] };
      },
    });
    const out = run(s, [chunk('a'), chunk('drop'), usage, done]);
    expect(out).toContain('"content":"A"');
    expect(out).not.toContain('drop');
    expect(out).not.toContain('"choices":[]');
    expect(out.endsWith(done)).toBe(true);
  });

  it('handles CRLF framing', () => {
    const s = new SseScanner({ hideUsageChunk: true, transform: null });
    const crlf = (t: string) => t.replace(/\n\n$/, '\r\n\r\n');
    const out = run(s, [crlf(chunk('a')), crlf(usage), crlf(done)]);
    expect(out).toBe(crlf(chunk('a')) + crlf(done));
    expect(s.usage?.prompt_tokens).toBe(3);
  });
});
