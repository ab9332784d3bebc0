import type { Usage } from '@warden/core';

/** Reads `usage` from a non-streamed upstream answer without trusting its shape. */
export function usageFromJson(bytes: Buffer): { usage: Usage | null; body: Record<string, unknown> | null } {
  try {
    const body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    return { usage: normaliseUsage(body.usage), body };
  } catch {
    return { usage: null, body: null };
  }
}

export function normaliseUsage(value: unknown): Usage | null {
  if (!value || typeof value !== 'object') return null;
  const u = value as Record<string, unknown>;
  const prompt = toCount(u.prompt_tokens);
  const completion = toCount(u.completion_tokens);
  const total = toCount(u.total_tokens) || prompt + completion;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
}

function toCount(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

/**
 * A stream that ended without usage: the prompt is estimated from its text (4 bytes a token, the
 * usual rule of thumb) and the completion from the number of chunks (one token each, as OpenAI
 * streams). The spend row is flagged as estimated.
 */
export function estimateStreamUsage(body: Record<string, unknown>, events: number): Usage {
  const text = JSON.stringify(body.messages ?? body.prompt ?? body.input ?? '');
  const prompt = Math.max(1, Math.ceil(Buffer.byteLength(text) / 4));
  return { prompt_tokens: prompt, completion_tokens: events, total_tokens: prompt + events };
}
