import type { Cancellation, Endpoint } from '@warden/core';
import { type Dispatcher, Pool, errors } from 'undici';
import type { Provider, UpstreamCall, UpstreamResult } from './types.ts';
import { fromTransportError, fromUpstreamStatus } from './upstream-errors.ts';

const PATHS: Record<Endpoint, string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
};

interface Target {
  pool: Pool;
  path: string;
}

const DEFAULT_BASE = 'https://api.openai.com/v1';

/**
 * OpenAI-compatible upstream adapter: one keep-alive undici Pool per origin, shared by every
 * deployment on that origin. Headers are built fresh for each call; no client header is ever copied.
 */
export class OpenAICompatibleProvider implements Provider {
  readonly name = 'openai';
  readonly #pools = new Map<string, Pool>();
  readonly #targets = new Map<string, Target>();
  readonly #connections: number;

  constructor(options: { connectionsPerOrigin?: number } = {}) {
    this.#connections = options.connectionsPerOrigin ?? 256;
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.#connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connectTimeout: 10_000,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** Origin and path per (api base, endpoint), parsed once instead of a `new URL` per call. */
  #target(apiBase: string | null | undefined, endpoint: Endpoint): Target {
    const cacheKey = `${endpoint} ${apiBase ?? ''}`;
    let target = this.#targets.get(cacheKey);
    if (!target) {
      const url = new URL((apiBase ?? DEFAULT_BASE).replace(/\/+$/, '') + PATHS[endpoint]);
      target = { pool: this.#pool(url.origin), path: url.pathname + url.search };
      this.#targets.set(cacheKey, target);
    }
    return target;
  }

  async send(call: UpstreamCall): Promise<UpstreamResult> {
    const d = call.deployment;
    const { pool, path } = this.#target(d.apiBase, call.endpoint);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: call.stream ? 'text/event-stream' : 'application/json',
      'x-request-id': call.requestId,
    };
    if (d.apiKey) headers.authorization = `Bearer ${d.apiKey}`;
    const timeout = call.stream ? d.streamTimeoutMs : d.timeoutMs;
    if (!call.stream) {
      let answer: { status: number; bytes: Buffer };
      try {
        answer = await dispatchWhole(
          pool,
          {
            method: 'POST',
            path,
            headers,
            body: call.bytes,
            headersTimeout: d.timeoutMs,
            bodyTimeout: timeout,
          },
          call.cancellation,
        );
      } catch (err) {
        throw fromTransportError(err, d.modelName, d.timeoutMs);
      }
      if (answer.status >= 400) throw fromUpstreamStatus(answer.status, answer.bytes, d.modelName);
      return { kind: 'json', status: answer.status, bytes: answer.bytes };
    }
    let res: Awaited<ReturnType<Pool['request']>>;
    try {
      res = await pool.request({
        method: 'POST',
        path,
        headers,
        body: call.bytes,
        signal: call.cancellation.signal,
        headersTimeout: d.timeoutMs,
        // For streams this is the allowed silence between chunks (stream_timeout).
        bodyTimeout: timeout,
      });
    } catch (err) {
      throw fromTransportError(err, d.modelName, d.timeoutMs);
    }
    if (res.statusCode >= 400) {
      const bytes = await readAll(res.body, d.modelName, timeout);
      throw fromUpstreamStatus(res.statusCode, bytes, d.modelName);
    }
    const body = res.body;
    return {
      kind: 'stream',
      status: res.statusCode,
      body: body as AsyncIterable<Buffer>,
      cancel: () => body.destroy(),
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.close()));
    this.#pools.clear();
  }
}

async function readAll(body: AsyncIterable<Buffer>, model: string, timeoutMs: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  try {
    for await (const part of body) parts.push(part);
  } catch (err) {
    throw fromTransportError(err, model, timeoutMs);
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * A whole (non-streamed) answer through undici's raw dispatch handler: no response stream object,
 * no async iterator, chunks collected as they arrive. `pool.request` + `for await` over its body was
 * the largest single cost of a non-streamed call after the database. Abort behaves as `request()`
 * with a signal: the call fails with the signal's reason (or undici's RequestAbortedError).
 */
function dispatchWhole(
  pool: Pool,
  options: Dispatcher.DispatchOptions,
  cancellation: Cancellation,
): Promise<{ status: number; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    if (cancellation.cancelled) {
      reject(abortReason(cancellation));
      return;
    }
    pool.dispatch(
      options,
      new WholeAnswer(cancellation, resolve, reject) as unknown as Dispatcher.DispatchHandler,
    );
  });
}

function abortReason(cancellation: Cancellation): unknown {
  return cancellation.reason ?? new errors.RequestAbortedError();
}

/**
 * The dispatch handler of one whole answer. A class rather than an object of closures: one
 * allocation per call, and no per-call function objects (under tsx each named closure also costs a
 * `__name` property definition).
 */
class WholeAnswer {
  readonly #cancellation: Cancellation;
  readonly #resolve: (answer: { status: number; bytes: Buffer }) => void;
  readonly #reject: (err: unknown) => void;
  #abort: ((err: Error) => void) | null = null;
  #parts: Buffer[] = [];
  #size = 0;
  #status = 0;

  constructor(
    cancellation: Cancellation,
    resolve: (answer: { status: number; bytes: Buffer }) => void,
    reject: (err: unknown) => void,
  ) {
    this.#cancellation = cancellation;
    this.#resolve = resolve;
    this.#reject = reject;
    cancellation.onCancel(this);
  }

  /** CancelListener: the client went away. */
  handleEvent(): void {
    this.#abort?.(abortReason(this.#cancellation) as Error);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort;
    if (this.#cancellation.cancelled) abort(abortReason(this.#cancellation) as Error);
  }

  onHeaders(statusCode: number): boolean {
    this.#status = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#parts.push(chunk);
    this.#size += chunk.length;
    return true;
  }

  onComplete(): void {
    this.#cancellation.offCancel(this);
    const parts = this.#parts;
    this.#resolve({
      status: this.#status,
      bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.#size),
    });
  }

  onError(err: Error): void {
    this.#cancellation.offCancel(this);
    this.#reject(err);
  }
}
