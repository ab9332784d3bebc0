import { describe, expect, it } from 'vitest';
import { topLevelUsage, usageOnly } from './top-level-usage.ts';
import { usageFromJson } from './usage.ts';

const b = (s: string) => Buffer.from(s);
const usage = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 };

describe('topLevelUsage', () => {
  it('reads the top-level usage of an OpenAI answer, wherever the key sits', () => {
    const answer = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
      usage: { ...usage, prompt_tokens_details: { cached_tokens: 0 } },
    };
    expect(topLevelUsage(b(JSON.stringify(answer)))).toEqual(usage);
    expect(topLevelUsage(b(JSON.stringify({ usage, id: 'x' }, null, 2)))).toEqual(usage);
  });

  it('ignores "usage" inside strings and nested objects', () => {
    const tricky = {
      choices: [{ message: { content: 'the "usage": {"prompt_tokens": 999} key \\" and \\\\' } }],
      x_groq: { usage: { prompt_tokens: 999, completion_tokens: 999, total_tokens: 999 } },
      note: 'usage',
      usage,
    };
    const bytes = b(JSON.stringify(tricky));
    expect(topLevelUsage(bytes)).toEqual(usage);
    expect(topLevelUsage(bytes)).toEqual(usageFromJson(bytes).usage);
  });

  it('null when there is no usage (or it is null); undefined when the bytes are not JSON it can read', () => {
    expect(topLevelUsage(b('{"id":"x","choices":[]}'))).toBeNull();
    expect(topLevelUsage(b('{"usage":null}'))).toBeNull();
    expect(topLevelUsage(b('{"id":"x","choices":['))).toBeUndefined();
    expect(topLevelUsage(b('{"id":"unterminated'))).toBeUndefined();
    expect(topLevelUsage(b('{"usage":{"prompt_tokens":'))).toBeUndefined();
  });

  it('agrees with the full parse on multi-byte text', () => {
    const bytes = b(
      JSON.stringify({ choices: [{ message: { content: 'héllo "wörld" 日本 \u2028' } }], usage }),
    );
    expect(topLevelUsage(bytes)).toEqual(usageFromJson(bytes).usage);
  });

  it('usageOnly falls back to the full parse where the scan cannot tell', () => {
    expect(usageOnly(b(JSON.stringify({ usage })))).toEqual(usage);
    expect(usageOnly(b('{"id":"x","choices":['))).toBeNull();
    expect(usageOnly(b('{"id":"x"}'))).toBeNull();
  });
});
