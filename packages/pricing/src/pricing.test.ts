import type { Deployment } from '@warden/core';
import { describe, expect, it } from 'vitest';
import {
  costMicros,
  estimateRequestTokens,
  estimateUsage,
  IMAGE_TOKENS,
  inputTokenUpperBound,
  lookupModelPrice,
  maxOutputTokensFor,
  PRICE_TABLE,
  priceFor,
  worstCaseMicros,
} from './index.ts';

function deployment(model: string, provider = 'openai', extra: Partial<Deployment> = {}): Deployment {
  return {
    id: `${model}#0`,
    modelName: model,
    provider,
    model,
    apiBase: null,
    apiKey: null,
    rpm: null,
    tpm: null,
    timeoutMs: 30_000,
    streamTimeoutMs: 60_000,
    inputCostPerToken: null,
    outputCostPerToken: null,
    modelInfo: {},
    publicParams: {},
    ...extra,
  };
}

describe('lookupModelPrice', () => {
  it.each([
    ['gpt-4o', 2.5e-6, 10e-6],
    ['openai/gpt-4o', 2.5e-6, 10e-6],
    ['gpt-4o-2024-08-06', 2.5e-6, 10e-6],
    ['gpt-4o-2024-05-13', 5e-6, 15e-6],
    ['gpt-4o-mini-2024-07-18', 0.15e-6, 0.6e-6],
    ['azure/gpt-35-turbo-0125', 0.5e-6, 1.5e-6],
    ['gpt-4.1-nano', 0.1e-6, 0.4e-6],
    ['gpt-4-1106-preview', 10e-6, 30e-6],
    ['gpt-4-0613', 30e-6, 60e-6],
    ['o1-preview', 15e-6, 60e-6],
    ['o3-mini-2025-01-31', 1.1e-6, 4.4e-6],
    ['o4-mini', 1.1e-6, 4.4e-6],
    ['text-embedding-3-small', 0.02e-6, 0],
    ['text-embedding-ada-002', 0.1e-6, 0],
    ['anthropic/claude-3-5-sonnet-20241022', 3e-6, 15e-6],
    ['claude-3-5-haiku-latest', 0.8e-6, 4e-6],
    ['claude-opus-4-1-20250805', 15e-6, 75e-6],
    ['claude-sonnet-4-20250514', 3e-6, 15e-6],
    ['gemini/gemini-1.5-pro-002', 1.25e-6, 5e-6],
    ['vertex_ai/gemini-2.5-flash', 0.3e-6, 2.5e-6],
    ['gemini-2.5-pro-preview-05-06', 1.25e-6, 10e-6],
    ['mistral/mistral-large-2411', 2e-6, 6e-6],
    ['mistral-small-latest', 0.1e-6, 0.3e-6],
    ['groq/llama-3.3-70b-versatile', 0.59e-6, 0.79e-6],
    ['together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo', 0.88e-6, 0.88e-6],
  ])('%s', (name, input, output) => {
    const p = lookupModelPrice(name);
    expect(p).not.toBeNull();
    expect(p!.input).toBeCloseTo(input, 15);
    expect(p!.output).toBeCloseTo(output, 15);
  });

  it('uses the provider to pick a host-specific price', () => {
    expect(lookupModelPrice('llama-3.3-70b-versatile', 'groq')?.input).toBeCloseTo(0.59e-6, 15);
    expect(lookupModelPrice('llama-3.3-70b-versatile')).toBeNull();
  });

  it('returns null for unknown models', () => {
    expect(lookupModelPrice('my-fine-tune')).toBeNull();
    expect(lookupModelPrice('mock/whatever')).toBeNull();
  });

  it('every table entry is a sane per-token price', () => {
    for (const [name, p] of Object.entries(PRICE_TABLE)) {
      expect(p.input, name).toBeGreaterThanOrEqual(0);
      expect(p.input, name).toBeLessThan(1e-3); // per token, not per million
      expect(p.output, name).toBeLessThan(1e-3);
    }
  });
});

describe('priceFor', () => {
  it('reads the table in micro-dollars per token', () => {
    expect(priceFor(deployment('gpt-4o'))).toEqual({ inputMicrosPerToken: 2.5, outputMicrosPerToken: 10 });
  });

  it('mock deployments of a known model get its price', () => {
    expect(priceFor(deployment('gpt-4o-mini', 'mock'))?.outputMicrosPerToken).toBeCloseTo(0.6, 12);
  });

  it('deployment overrides win, and one side may fall back to the table', () => {
    const both = deployment('gpt-4o', 'openai', {
      inputCostPerToken: 0.0000005,
      outputCostPerToken: 0.0000015,
    });
    expect(priceFor(both)).toEqual({ inputMicrosPerToken: 0.5, outputMicrosPerToken: 1.5 });
    const half = deployment('gpt-4o', 'openai', { inputCostPerToken: 0.000001 });
    expect(priceFor(half)).toEqual({ inputMicrosPerToken: 1, outputMicrosPerToken: 10 });
    const unknown = deployment('private-model', 'openai', { outputCostPerToken: 0.000002 });
    expect(priceFor(unknown)).toEqual({ inputMicrosPerToken: 0, outputMicrosPerToken: 2 });
  });

  it('is null for an unpriced model without overrides', () => {
    expect(priceFor(deployment('private-model'))).toBeNull();
  });

  it('max output tokens: config model_info, else table, else null', () => {
    expect(
      maxOutputTokensFor(deployment('gpt-4o', 'openai', { modelInfo: { max_output_tokens: 100 } })),
    ).toBe(100);
    expect(maxOutputTokensFor(deployment('gpt-4o'))).toBe(16_384);
    expect(maxOutputTokensFor(deployment('private-model'))).toBeNull();
  });
});

describe('costMicros', () => {
  it('is exact for whole results despite fractional prices', () => {
    const mini = { inputMicrosPerToken: 0.15, outputMicrosPerToken: 0.6 };
    expect(costMicros({ prompt_tokens: 1000, completion_tokens: 0 }, mini)).toBe(150);
    expect(costMicros({ prompt_tokens: 1000, completion_tokens: 1000 }, mini)).toBe(750);
    expect(
      costMicros(
        { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 },
        { inputMicrosPerToken: 2.5, outputMicrosPerToken: 10 },
      ),
    ).toBe(12_500_000);
  });

  it('rounds a fractional total up, so sums never undercount', () => {
    const mini = { inputMicrosPerToken: 0.15, outputMicrosPerToken: 0.6 };
    expect(costMicros({ prompt_tokens: 1, completion_tokens: 0 }, mini)).toBe(1);
    expect(costMicros({ prompt_tokens: 7, completion_tokens: 1 }, mini)).toBe(2); // 1.05 + 0.6 = 1.65
    let sum = 0;
    for (let i = 0; i < 1000; i++) sum += costMicros({ prompt_tokens: 3, completion_tokens: 0 }, mini);
    expect(sum).toBeGreaterThanOrEqual(450);
    expect(Number.isInteger(sum)).toBe(true);
  });

  it('is zero for zero usage and ignores garbage', () => {
    const p = { inputMicrosPerToken: 1, outputMicrosPerToken: 1 };
    expect(costMicros({ prompt_tokens: 0, completion_tokens: 0 }, p)).toBe(0);
    expect(costMicros({ prompt_tokens: Number.NaN, completion_tokens: -5 }, p)).toBe(0);
  });
});

describe('worst case and estimates', () => {
  const price = { inputMicrosPerToken: 1, outputMicrosPerToken: 2 };

  it('chat: UTF-8 bytes + 4 per message + 3, plus max_tokens × output price', () => {
    const body = {
      model: 'x',
      messages: [
        { role: 'system', content: 'be brief' }, // 8 bytes
        { role: 'user', content: 'héllo' }, // 6 bytes (é is 2)
      ],
      max_tokens: 10,
    };
    expect(inputTokenUpperBound(body, 'chat')).toBe(8 + 6 + 4 * 2 + 3);
    expect(worstCaseMicros(body, 'chat', price, 999)).toBe(25 * 1 + 10 * 2);
  });

  it('falls back to max_completion_tokens, then model max output, then 4096; multiplies by n', () => {
    const base = { messages: [{ role: 'user', content: 'a' }] }; // 1 + 4 + 3 = 8 input tokens
    expect(worstCaseMicros({ ...base, max_completion_tokens: 5 }, 'chat', price, 999)).toBe(8 + 10);
    expect(worstCaseMicros(base, 'chat', price, 100)).toBe(8 + 200);
    expect(worstCaseMicros(base, 'chat', price, null)).toBe(8 + 4096 * 2);
    expect(worstCaseMicros({ ...base, max_tokens: 5, n: 3 }, 'chat', price, null)).toBe(8 + 30);
  });

  it('counts text parts, images, tool calls and tool schemas', () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: {} } }];
    const body = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'abc' },
            { type: 'image_url', image_url: { url: 'https://x/y.png' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: '1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
      ],
      tools,
    };
    const toolCallBytes = JSON.stringify(body.messages[1]!.tool_calls).length;
    const expected = 3 + IMAGE_TOKENS + toolCallBytes + JSON.stringify(tools).length + 4 * 2 + 3;
    expect(inputTokenUpperBound(body, 'chat')).toBe(expected);
  });

  it('embeddings: input items, no output', () => {
    expect(inputTokenUpperBound({ input: ['ab', 'cd'] }, 'embeddings')).toBe(4 + 8 + 3);
    expect(inputTokenUpperBound({ input: [1, 2, 3] }, 'embeddings')).toBe(3 + 4 + 3);
    expect(worstCaseMicros({ input: 'abcd', max_tokens: 100 }, 'embeddings', price, null)).toBe(4 + 4 + 3);
  });

  it('completions: prompt string', () => {
    expect(worstCaseMicros({ prompt: 'abcd', max_tokens: 1 }, 'completions', price, null)).toBe(
      4 + 4 + 3 + 2,
    );
  });

  it('the byte bound is never below the chars/4 estimate', () => {
    const body = { messages: [{ role: 'user', content: '日本語のテキスト and some English words' }] };
    expect(inputTokenUpperBound(body, 'chat')).toBeGreaterThanOrEqual(estimateUsage(body, '').prompt_tokens);
  });

  it('estimateUsage: ~4 chars per token for prompt and output', () => {
    const u = estimateUsage({ messages: [{ role: 'user', content: 'abcdefgh' }] }, 'twelve chars');
    expect(u).toEqual({ prompt_tokens: 2 + 4 + 3, completion_tokens: 3, total_tokens: 12 });
  });

  it('estimateRequestTokens adds the requested completion length', () => {
    const body = { messages: [{ role: 'user', content: 'abcdefgh' }], max_tokens: 50 };
    expect(estimateRequestTokens(body, 'chat')).toBe(9 + 50);
    expect(estimateRequestTokens({ messages: [] }, 'chat')).toBe(3);
  });
});
