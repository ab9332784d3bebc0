import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { contentFor, mockEmbedding, mockPromptTokens } from './content.ts';
import {
  chatCompletionBody,
  chatStreamFrames,
  completionBody,
  completionStreamFrames,
  type StreamFrames,
  type Usage,
} from './frames.ts';
import {
  defaultErrorFor,
  INVALID_API_KEY,
  INVALID_JSON,
  MISSING_API_KEY,
  openaiError,
} from './openai-errors.ts';
import type {
  MockBehavior,
  MockStats,
  MockUpstream,
  MockUpstreamOptions,
  MockUpstreamSettings,
  RecordedRequest,
} from './types.ts';
import { type Endpoint, validateBody } from './validate.ts';

const ROUTES: Record<string, Endpoint | 'models'> = {
  '/v1/chat/completions': 'chat',
  '/v1/completions': 'completions',
  '/v1/embeddings': 'embeddings',
  '/v1/models': 'models',
};

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'];

interface Waiter {
  n: number;
  resolve: (r: RecordedRequest[]) => void;
}

interface Exchange {
  rec: RecordedRequest | null;
  res: ServerResponse;
  /** Set when the mock itself destroys the socket, so that is not mistaken for a client abort. */
  selfDestroyed: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Start a strict mock OpenAI upstream on raw `node:http` (127.0.0.1). It refuses what OpenAI refuses
 * (wrong key, unknown fields, `metadata` without `store`), answers chat/completions/embeddings/models
 * with deterministic usage, records every request, and has knobs for latency, errors and broken streams.
 *
 * @example
 * const mock = await startMockUpstream({ apiKey: 'sk-up' });
 * // config: api_base: mock.url, api_key: sk-up
 * mock.set({ status: 500 });            // every request → 500
 * mock.queue({ reset: true });          // only the next request → socket reset
 * await mock.waitForRequests(1);
 * expect(mock.requests[0]?.body).toEqual({ model: 'gpt-4o-mini', messages: [...] });
 * await mock.close();
 */
export async function startMockUpstream(opts: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const { port: listenPort = 0, record = true, models = DEFAULT_MODELS, ...initial } = opts;
  const initialBehaviors = { ...(initial.behaviors ?? {}) };
  let settings: MockUpstreamSettings = { ...initial, behaviors: { ...initialBehaviors } };
  let queued: MockBehavior[] = [];
  const requests: RecordedRequest[] = [];
  const stats: MockStats = { requests: 0, aborted: 0, inFlight: 0 };
  const open = new Set<ServerResponse>();
  let waiters: Waiter[] = [];
  let seq = 0;
  let closing = false;
  const modelsBody = JSON.stringify({
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'openai' })),
  });

  const notify = () => {
    if (waiters.length === 0) return;
    waiters = waiters.filter((w) => {
      if (stats.requests < w.n) return true;
      w.resolve(requests);
      return false;
    });
  };

  const sendJson = (ex: Exchange, status: number, body: string, extra?: Record<string, string>) => {
    if (ex.rec) ex.rec.status = status;
    ex.res.writeHead(status, extra ? { ...JSON_HEADERS, ...extra } : JSON_HEADERS);
    ex.res.end(body);
  };

  const destroy = (ex: Exchange) => {
    ex.selfDestroyed = true;
    ex.res.socket?.destroy();
  };

  const behaviorFor = (model: string | undefined): MockBehavior => {
    const q = queued.shift();
    const perModel = model ? settings.behaviors?.[model] : undefined;
    if (!q && !perModel) return settings;
    return { ...settings, ...perModel, ...q };
  };

  const stream = async (ex: Exchange, b: MockBehavior, frames: StreamFrames) => {
    const { res } = ex;
    if (ex.rec) ex.rec.status = 200;
    res.writeHead(200, SSE_HEADERS);
    const delay = b.chunkDelayMs ?? 0;
    const stopAt = b.hangAfterChunks ?? b.errorAfterChunks;
    if (delay <= 0 && stopAt === undefined && !b.malformed) {
      res.end(frames.head.join('') + frames.content.join('') + frames.tail.join(''));
      return;
    }
    for (const f of frames.head) res.write(f);
    const limit = stopAt === undefined ? frames.content.length : Math.min(stopAt, frames.content.length);
    for (let i = 0; i < limit; i++) {
      if (delay > 0) await sleep(delay);
      if (res.destroyed) return;
      res.write(frames.content[i]);
    }
    if (b.hangAfterChunks !== undefined) return; // silence: the gateway's stream_timeout must fire
    if (b.errorAfterChunks !== undefined) {
      res.write('', () => destroy(ex));
      return;
    }
    if (b.malformed) {
      res.end('data: {"id":"broken","choices":[{"delta":{"content":\n\n');
      return;
    }
    if (delay > 0) await sleep(delay);
    if (res.destroyed) return;
    res.end(frames.tail.join(''));
  };

  const answer = async (ex: Exchange, endpoint: Endpoint, body: Record<string, unknown>) => {
    const model = body.model as string;
    const b = behaviorFor(model);
    if (b.latencyMs) await sleep(b.latencyMs);
    if (ex.res.destroyed) return;
    if (b.reset) return destroy(ex);
    if (b.hang) return; // stays in `open`; close() destroys it
    if (b.status !== undefined && b.status !== 200) {
      const eb = b.errorBody ?? defaultErrorFor(b.status);
      return sendJson(ex, b.status, typeof eb === 'string' ? eb : JSON.stringify(eb), b.errorHeaders);
    }
    const isStream = body.stream === true;
    if (b.malformed && !isStream) return sendJson(ex, 200, '{"id":"chatcmpl-broken","object":"chat.comp');

    const id = `${endpoint === 'chat' ? 'chatcmpl' : endpoint === 'completions' ? 'cmpl' : 'emb'}-mock${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    const modelJson = JSON.stringify(model);
    const promptTokens = mockPromptTokens(endpoint, body);
    const never = b.usage === 'never';

    if (endpoint === 'embeddings') {
      const inputs =
        Array.isArray(body.input) && typeof body.input[0] !== 'number' ? body.input : [body.input];
      const dims = typeof body.dimensions === 'number' ? body.dimensions : 8;
      const b64 = body.encoding_format === 'base64';
      const data = inputs.map((input, index) => {
        const v = mockEmbedding(input, dims);
        return {
          object: 'embedding',
          index,
          embedding: b64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v,
        };
      });
      const out: Record<string, unknown> = { object: 'list', data, model };
      if (!never) out.usage = { prompt_tokens: promptTokens, total_tokens: promptTokens };
      return sendJson(ex, 200, JSON.stringify(out));
    }

    const content = contentFor(b.chunks ?? 5, b.fixedContent);
    const completionTokens = content.pieces.length;
    const usage: Usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    if (isStream) {
      // Like OpenAI: the usage-only chunk exists only when the client asked for it.
      const so = body.stream_options as { include_usage?: unknown } | undefined;
      const withUsage = !never && so?.include_usage === true ? usage : null;
      const build = endpoint === 'chat' ? chatStreamFrames : completionStreamFrames;
      return stream(ex, b, build(id, created, modelJson, content, withUsage));
    }
    const build = endpoint === 'chat' ? chatCompletionBody : completionBody;
    return sendJson(ex, 200, build(id, created, modelJson, content, never ? null : usage));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const ex: Exchange = { rec: null, res, selfDestroyed: false };
    if (record) {
      ex.rec = {
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        body: undefined,
        rawBody: '',
        aborted: false,
        startedAt: Date.now(),
        status: 0,
      };
    }
    open.add(res);
    stats.inFlight++;
    res.on('close', () => {
      open.delete(res);
      stats.inFlight--;
      if (!res.writableFinished && !ex.selfDestroyed && !closing) {
        stats.aborted++;
        if (ex.rec) ex.rec.aborted = true;
      }
    });
    req.on('error', () => {}); // client went away mid-body; 'close' above records it

    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const raw = parts.length === 1 ? (parts[0] as Buffer).toString() : Buffer.concat(parts).toString();
      let parsed: unknown;
      let parseFailed = false;
      if (raw.length > 0) {
        try {
          parsed = JSON.parse(raw);
        } catch {
          parseFailed = true;
        }
      }
      if (ex.rec) {
        ex.rec.rawBody = raw;
        ex.rec.body = parsed;
        requests.push(ex.rec);
      }
      stats.requests++;
      notify();
      route(ex, req, path, raw, parsed, parseFailed).catch((err: unknown) => {
        if (!res.headersSent)
          sendJson(ex, 500, JSON.stringify(openaiError(`mock upstream bug: ${String(err)}`, 'server_error')));
        else res.destroy();
      });
    });
  };

  const route = async (
    ex: Exchange,
    req: IncomingMessage,
    path: string,
    raw: string,
    parsed: unknown,
    parseFailed: boolean,
  ) => {
    const q = path.indexOf('?');
    const target = ROUTES[q === -1 ? path : path.slice(0, q)];
    const method = req.method ?? 'GET';
    if (!target || (target === 'models') !== (method === 'GET') || (method !== 'GET' && method !== 'POST')) {
      return sendJson(
        ex,
        404,
        JSON.stringify(openaiError(`Invalid URL (${method} ${path})`, 'invalid_request_error')),
      );
    }
    if (settings.apiKey !== undefined) {
      const auth = req.headers.authorization;
      if (!auth) return sendJson(ex, 401, JSON.stringify(MISSING_API_KEY));
      if (auth !== `Bearer ${settings.apiKey}`) return sendJson(ex, 401, JSON.stringify(INVALID_API_KEY));
    }
    if (target === 'models') {
      const b = behaviorFor(undefined);
      if (b.latencyMs) await sleep(b.latencyMs);
      if (b.status !== undefined && b.status !== 200) {
        const eb = b.errorBody ?? defaultErrorFor(b.status);
        return sendJson(ex, b.status, typeof eb === 'string' ? eb : JSON.stringify(eb), b.errorHeaders);
      }
      return sendJson(ex, 200, modelsBody);
    }
    if (parseFailed || raw.length === 0) return sendJson(ex, 400, JSON.stringify(INVALID_JSON));
    const invalid = validateBody(target, parsed);
    if (invalid) return sendJson(ex, 400, JSON.stringify(invalid));
    return answer(ex, target, parsed as Record<string, unknown>);
  };

  const server = createServer({ keepAliveTimeout: 30_000, requestTimeout: 0 }, handle);
  server.headersTimeout = 35_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('mock upstream: no address');
  const port = address.port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    get stats() {
      return { ...stats };
    },
    set(next: MockUpstreamSettings) {
      const behaviors = next.behaviors ? { ...settings.behaviors, ...next.behaviors } : settings.behaviors;
      settings = { ...settings, ...next, behaviors };
    },
    queue(...behaviors: MockBehavior[]) {
      queued.push(...behaviors);
    },
    waitForRequests(n: number, timeoutMs = 5000) {
      if (stats.requests >= n) return Promise.resolve(requests);
      return new Promise<RecordedRequest[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`mock upstream: waited ${timeoutMs}ms for ${n} requests, got ${stats.requests}`));
        }, timeoutMs);
        const waiter: Waiter = {
          n,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        };
        waiters.push(waiter);
      });
    },
    reset() {
      requests.length = 0;
      stats.requests = 0;
      stats.aborted = 0;
      queued = [];
      settings = { ...initial, behaviors: { ...initialBehaviors } };
    },
    close() {
      closing = true;
      for (const res of open) res.socket?.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
