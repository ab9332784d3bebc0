import type { Endpoint, Usage } from '@warden/core';
import { costMicros, type Price } from './price.ts';
import { measurePrompt } from './prompt-measure.ts';

/** OpenAI's chat format costs about this many tokens per message, plus a reply primer per request. */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_REQUEST = 3;
/** When neither the request nor the model says how long a completion may be. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

type Body = Readonly<Record<string, unknown>>;

function positiveInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : null;
}

/** `max_tokens ?? max_completion_tokens`, or null when the request sets neither. */
export function requestedMaxTokens(body: Body): number | null {
  return positiveInt(body.max_tokens) ?? positiveInt(body.max_completion_tokens);
}

/** How many completions one request asks for (`n`, and `best_of` for legacy completions). */
function choices(body: Body): number {
  return Math.max(1, positiveInt(body.n) ?? 1, positiveInt(body.best_of) ?? 1);
}

/**
 * An upper bound of the prompt tokens: byte-level BPE tokenizers (tiktoken and the like) never
 * produce more tokens than UTF-8 bytes, plus the chat format's per-message overhead (SPEC 7).
 */
export function inputTokenUpperBound(body: Body, endpoint: Endpoint | null = null): number {
  const m = measurePrompt(body, endpoint);
  return m.bytes + TOKENS_PER_MESSAGE * m.messages + TOKENS_PER_REQUEST + m.fixedTokens;
}

/**
 * Worst-case cost of a request in micro-dollars, reserved against budgets before the call (SPEC 7):
 * input upper bound × input price + (max_tokens ?? max_completion_tokens ?? model max output ?? 4096)
 * × n × output price. Embeddings have no output.
 */
export function worstCaseMicros(
  body: Body,
  endpoint: Endpoint | null,
  price: Price,
  maxOutputTokens: number | null,
): number {
  const input = inputTokenUpperBound(body, endpoint);
  const output =
    endpoint === 'embeddings'
      ? 0
      : (requestedMaxTokens(body) ?? positiveInt(maxOutputTokens) ?? DEFAULT_MAX_OUTPUT_TOKENS) *
        choices(body);
  return costMicros({ prompt_tokens: input, completion_tokens: output }, price);
}

/**
 * Usage estimate for a response that came without one (a stream whose upstream sent no usage):
 * about 4 characters per token, the usual rule of thumb for English text with GPT tokenizers, plus
 * the chat format overhead. An estimate, not a bound: the spend row says it was estimated.
 */
export function estimateUsage(body: Body, outputText: string, endpoint: Endpoint | null = null): Usage {
  const m = measurePrompt(body, endpoint);
  const prompt =
    Math.ceil(m.chars / 4) + TOKENS_PER_MESSAGE * m.messages + TOKENS_PER_REQUEST + m.fixedTokens;
  const completion = Math.ceil(outputText.length / 4);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/**
 * Tokens to reserve against tokens-per-minute limits before the call: the estimated prompt plus the
 * requested completion length (0 when unset; the real count replaces it when the request settles).
 */
export function estimateRequestTokens(body: Body, endpoint: Endpoint | null = null): number {
  const prompt = estimateUsage(body, '', endpoint).prompt_tokens;
  const output = endpoint === 'embeddings' ? 0 : (requestedMaxTokens(body) ?? 0) * choices(body);
  return prompt + output;
}
