import type { StreamChunk, Usage } from '@warden/core';

const LF2 = Buffer.from('\n\n');
const CRLF2 = Buffer.from('\r\n\r\n');
const USAGE_OBJECT = Buffer.from('"usage":{');
const EMPTY_CHOICES = Buffer.from('"choices":[]');
const DONE = Buffer.from('data: [DONE]');

export interface ScanResult {
  usage: Usage | null;
  /** Data events seen (excluding [DONE]); a rough completion-token count when the upstream sent no usage. */
  events: number;
  done: boolean;
}

export interface SseScannerOptions {
  /** Drop the usage-only chunk (`"choices": []`): the client did not ask for usage, Warden did. */
  hideUsageChunk: boolean;
  /** Chunk hooks; when set every event is parsed and re-encoded. */
  transform: ((chunk: StreamChunk) => StreamChunk | null) | null;
}

/**
 * Frames an upstream SSE byte stream just enough to find usage and, when asked, to drop or rewrite
 * events. With neither, bytes are forwarded exactly as they arrived (no re-encoding); framing then only
 * runs on a side copy to spot the usage frame, a couple of `indexOf` calls per chunk.
 */
export class SseScanner {
  readonly #hide: boolean;
  readonly #transform: SseScannerOptions['transform'];
  #pending: Buffer | null = null;
  usage: Usage | null = null;
  events = 0;
  done = false;

  constructor(options: SseScannerOptions) {
    this.#hide = options.hideUsageChunk;
    this.#transform = options.transform;
  }

  /** Feeds upstream bytes; returns what to send to the client now (possibly empty). */
  push(bytes: Buffer): Buffer {
    const passthrough = !this.#hide && !this.#transform;
    const data = this.#pending ? Buffer.concat([this.#pending, bytes]) : bytes;
    let start = 0;
    let out: Buffer[] | null = passthrough ? null : [];
    for (;;) {
      const [end, sepLength] = nextBoundary(data, start);
      if (end < 0) break;
      const event = data.subarray(start, end + sepLength);
      const kept = this.#event(data.subarray(start, end), event);
      if (out && kept) out.push(kept);
      start = end + sepLength;
    }
    this.#pending = start < data.length ? Buffer.from(data.subarray(start)) : null;
    if (passthrough) return bytes;
    out ??= [];
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** Whatever is left when the upstream ends (an unterminated last event). */
  end(): Buffer {
    const rest = this.#pending;
    this.#pending = null;
    if (!rest || rest.length === 0) return Buffer.alloc(0);
    if (!this.#hide && !this.#transform) return Buffer.alloc(0); // already forwarded as it came
    return this.#event(rest, rest) ?? Buffer.alloc(0);
  }

  result(): ScanResult {
    return { usage: this.usage, events: this.events, done: this.done };
  }

  /** Inspects one event; returns the bytes to forward for it, or null to drop it. */
  #event(body: Buffer, raw: Buffer): Buffer | null {
    if (body.indexOf(DONE) === 0) {
      this.done = true;
      return raw;
    }
    this.events++;
    const hasUsage = body.indexOf(USAGE_OBJECT) >= 0;
    if (!hasUsage && !this.#transform) return raw;
    const chunk = parseData(body);
    if (chunk === null) return raw;
    if (hasUsage && chunk.usage && typeof chunk.usage === 'object') this.usage = chunk.usage as Usage;
    const usageOnly =
      hasUsage &&
      Array.isArray(chunk.choices) &&
      chunk.choices.length === 0 &&
      body.indexOf(EMPTY_CHOICES) >= 0;
    if (usageOnly && this.#hide) {
      this.events--;
      return null;
    }
    if (!this.#transform) return raw;
    const next = this.#transform(chunk);
    if (next === null) return null;
    return Buffer.from(`data: ${JSON.stringify(next)}\n\n`);
  }
}

function nextBoundary(data: Buffer, from: number): [number, number] {
  const lf = data.indexOf(LF2, from);
  // CRLF framing is rare (OpenAI uses LF); look for it only when the event has a CR in it.
  const cr = data.indexOf(13, from);
  if (cr >= 0 && (lf < 0 || cr < lf)) {
    const crlf = data.indexOf(CRLF2, from);
    if (crlf >= 0 && (lf < 0 || crlf < lf)) return [crlf, 4];
  }
  return [lf, 2];
}

/** Parses the `data:` payload of one event; null when it is not a JSON object. */
function parseData(event: Buffer): StreamChunk | null {
  const text = event.toString('utf8');
  let json = '';
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('data:')) json += line.slice(line[5] === ' ' ? 6 : 5);
  }
  if (json === '') return null;
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as StreamChunk)
      : null;
  } catch {
    return null;
  }
}
