import type { IncomingHttpHeaders } from 'node:http';

/**
 * Behaviour knobs of the mock upstream. Set them at start, at runtime with `mock.set()`, per model with
 * `behaviors`, or for the next requests only with `mock.queue()`. Never through request headers: the
 * gateway must not forward client headers, so a header-driven mock would hide exactly that bug.
 */
export interface MockBehavior {
  /** Wait this long before sending response headers. */
  latencyMs?: number;
  /** Number of content chunks in a stream (default 5); also the completion token count. */
  chunks?: number;
  /** Delay between stream chunks (default 0 = the whole stream in one write). */
  chunkDelayMs?: number;
  /** Answer with this HTTP status and an OpenAI error body (default body chosen per status). */
  status?: number;
  /** Error body for `status`: an object is JSON-encoded, a string is sent raw. */
  errorBody?: unknown;
  /** Extra headers on the `status` answer (e.g. `{ 'retry-after': '1' }`). */
  errorHeaders?: Record<string, string>;
  /** 200 with an invalid JSON body, or a stream with a broken SSE frame and no `[DONE]`. */
  malformed?: boolean;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Stream: send the role chunk and this many content chunks, then go silent (never end). */
  hangAfterChunks?: number;
  /** Stream: send the role chunk and this many content chunks, then destroy the socket. */
  errorAfterChunks?: number;
  /** `'auto'` (default): the usage-only chunk is sent when `stream_options.include_usage` is true; `'never'`: never. Non-stream answers drop `usage` too with `'never'`. */
  usage?: 'auto' | 'never';
  /** Fixed answer text (split into `chunks` pieces when streaming). */
  fixedContent?: string;
}

/** Options for {@link startMockUpstream}. */
export interface MockUpstreamOptions extends MockBehavior {
  /** Listen port on 127.0.0.1 (default 0 = any free port). */
  port?: number;
  /** When set, `Authorization: Bearer <apiKey>` is required (401 otherwise, like OpenAI). */
  apiKey?: string;
  /** Record every request in `mock.requests` (default true). `false` = counters only (benchmarks). */
  record?: boolean;
  /** Per-model behaviour, applied over the global knobs. */
  behaviors?: Record<string, MockBehavior>;
  /** Ids listed by `GET /v1/models` (default `['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small']`). */
  models?: string[];
}

/** Runtime changes accepted by `mock.set()`: global knobs plus per-model behaviours (merged). */
export interface MockUpstreamSettings extends MockBehavior {
  apiKey?: string | undefined;
  behaviors?: Record<string, MockBehavior>;
}

/** One request as the mock saw it. */
export interface RecordedRequest {
  method: string;
  /** Path including the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (`undefined` when empty or not JSON). */
  body: unknown;
  rawBody: string;
  /** True when the client closed the connection before the response finished. */
  aborted: boolean;
  /** `Date.now()` when the request arrived. */
  startedAt: number;
  /** Status the mock answered (0 until headers were sent, or when it reset/hung). */
  status: number;
}

/** Counters kept even with `record: false`. */
export interface MockStats {
  /** Requests fully received. */
  requests: number;
  /** Requests whose client went away before the response finished. */
  aborted: number;
  /** Responses currently open. */
  inFlight: number;
}

/** A running mock OpenAI upstream. */
export interface MockUpstream {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  port: number;
  /** Recorded requests (empty with `record: false`). */
  requests: RecordedRequest[];
  readonly stats: MockStats;
  /** Merge runtime knobs (global and per-model). */
  set(settings: MockUpstreamSettings): void;
  /** One-shot behaviours: the next request uses the first, the one after the second, ... then back to normal. */
  queue(...behaviors: MockBehavior[]): void;
  /** Resolve once at least `n` requests were fully received (rejects after `timeoutMs`, default 5000). */
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Clear records, counters, queued behaviours and runtime knobs (back to the start options). */
  reset(): void;
  /** Stop listening and destroy every open connection (hanging responses included). */
  close(): Promise<void>;
}
