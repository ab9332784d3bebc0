import type { Endpoint } from '@warden/core';
import { Pool } from 'undici';
import type { Provider, UpstreamCall, UpstreamResult } from './types.ts';
import { fromTransportError, fromUpstreamStatus } from './upstream-errors.ts';

const PATHS: Record<Endpoint, string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
};

const DEFAULT_BASE = 'https://api.openai.com/v1';

/**
 * OpenAI-compatible upstream adapter: one keep-alive undici Pool per origin, shared by every
 * deployment on that origin. Headers are built fresh for each call; no client header is ever copied.
 */
export class OpenAICompatibleProvider implements Provider {
  readonly name = 'openai';
  readonly #pools = new Map<string, Pool>();
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

  async send(call: UpstreamCall): Promise<UpstreamResult> {
    const d = call.deployment;
    const url = new URL((d.apiBase ?? DEFAULT_BASE).replace(/\/+$/, '') + PATHS[call.endpoint]);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: call.stream ? 'text/event-stream' : 'application/json',
      'x-request-id': call.requestId,
    };
    if (d.apiKey) headers.authorization = `Bearer ${d.apiKey}`;
    const timeout = call.stream ? d.streamTimeoutMs : d.timeoutMs;
    let res: Awaited<ReturnType<Pool['request']>>;
    try {
      res = await this.#pool(url.origin).request({
        method: 'POST',
        path: url.pathname + url.search,
        headers,
        body: call.bytes,
        signal: call.signal,
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
    if (call.stream) {
      const body = res.body;
      return {
        kind: 'stream',
        status: res.statusCode,
        body: body as AsyncIterable<Buffer>,
        cancel: () => body.destroy(),
      };
    }
    return { kind: 'json', status: res.statusCode, bytes: await readAll(res.body, d.modelName, timeout) };
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
