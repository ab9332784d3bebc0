import type { Endpoint } from './validate.ts';

const WORDS = ['Hello', 'from', 'the', 'mock', 'upstream'];

/** The answer split into stream pieces, with the pre-encoded JSON fragments the frames need. */
export interface Content {
  text: string;
  textJson: string;
  pieces: string[];
  /** `{"content":"..."}` per piece (chat delta). */
  chatDeltas: string[];
  /** `"..."` per piece (completions text). */
  pieceJson: string[];
}

// Content depends only on (chunks, fixedContent): cache it so the benchmark path does no per-request
// string building for the constant parts.
const cache = new Map<string, Content>();

/** Content pieces for `chunks` and optional fixed text (cached). */
export function contentFor(chunks: number, fixedContent: string | undefined): Content {
  const key = `${chunks}\u0000${fixedContent ?? ''}\u0000${fixedContent === undefined ? 0 : 1}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const pieces: string[] = [];
  if (fixedContent === undefined) {
    for (let i = 0; i < chunks; i++) pieces.push((i > 0 ? ' ' : '') + WORDS[i % WORDS.length]);
  } else if (fixedContent.length > 0) {
    const n = Math.max(1, chunks);
    const size = Math.ceil(fixedContent.length / n);
    for (let i = 0; i < fixedContent.length; i += size) pieces.push(fixedContent.slice(i, i + size));
  }
  const text = pieces.join('');
  const content: Content = {
    text,
    textJson: JSON.stringify(text),
    pieces,
    chatDeltas: pieces.map((p) => `{"content":${JSON.stringify(p)}}`),
    pieceJson: pieces.map((p) => JSON.stringify(p)),
  };
  if (cache.size > 1000) cache.clear();
  cache.set(key, content);
  return content;
}

function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) {
    let n = 0;
    for (const item of value) {
      if (typeof item === 'number')
        n += 4; // a token id counts as one token
      else if (typeof item === 'string') n += item.length;
      else if (Array.isArray(item)) n += textLength(item);
      else if (item && typeof item === 'object' && typeof (item as { text?: unknown }).text === 'string') {
        n += (item as { text: string }).text.length;
      }
    }
    return n;
  }
  return 0;
}

/**
 * Deterministic prompt token count the mock reports: ceil(characters / 4) of the message contents
 * (chat), prompt (completions) or input (embeddings), at least 1. Tests use it to predict usage.
 */
export function mockPromptTokens(endpoint: Endpoint, body: unknown): number {
  const b = (body ?? {}) as Record<string, unknown>;
  let chars = 0;
  if (endpoint === 'chat') {
    if (Array.isArray(b.messages)) {
      for (const m of b.messages) chars += textLength((m as { content?: unknown } | null)?.content);
    }
  } else {
    chars = textLength(endpoint === 'completions' ? b.prompt : b.input);
  }
  return Math.max(1, Math.ceil(chars / 4));
}

/** Deterministic embedding vector for one input (FNV-1a seeded pseudo-random values in [-1, 1]). */
export function mockEmbedding(input: unknown, dims: number): number[] {
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const out: number[] = [];
  for (let i = 0; i < dims; i++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    out.push(Math.round(((h >>> 0) / 0xffffffff) * 2_000_000 - 1_000_000) / 1_000_000);
  }
  return out;
}
