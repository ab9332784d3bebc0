import { RequestState } from '../context.ts';
import { HookDriver } from '../driver.ts';
import { toOpenAIError, type OpenAIErrorBody } from '../errors.ts';
import { loadPlugins } from '../load-plugins.ts';
import { createMemoryLogger } from '../logger.ts';
import type { PluginDefinition } from '../plugin.ts';
import type { Deployment, Endpoint, FinishSummary, KeyContext, StreamChunk, Usage } from '../types.ts';

export interface RunPluginOptions {
  /** Validated against the plugin's schema, as at start-up. */
  options?: unknown;
  request: Record<string, unknown>;
  endpoint?: Endpoint;
  /** The caller, as the auth plugin would have set it. */
  key?: KeyContext | null;
  /** What the mock upstream answers: content split into one chunk per word when streaming. */
  upstream?: { content?: string; usage?: Usage };
  hookTimeoutMs?: number;
}

export interface PluginRun {
  status: number;
  /** The non-streamed answer, or the error body. */
  body: Record<string, unknown> | OpenAIErrorBody | null;
  /** Streamed chunks as the client would receive them. */
  chunks: StreamChunk[];
  /** The body the upstream received, or null when the chain refused the request. */
  upstreamRequest: Record<string, unknown> | null;
  headers: Record<string, string>;
  finish: FinishSummary;
  logs: string[];
}

const DEPLOYMENT: Deployment = {
  id: 'test#0',
  modelName: 'test-model',
  provider: 'mock',
  model: 'test-model',
  apiBase: null,
  apiKey: null,
  rpm: null,
  tpm: null,
  timeoutMs: 30_000,
  streamTimeoutMs: 30_000,
  inputCostPerToken: null,
  outputCostPerToken: null,
  modelInfo: {},
  publicParams: {},
};

/**
 * Runs one request through a plugin in-process, with the hook order of the gateway and a mock
 * upstream, so a plugin author can test hooks without starting a server.
 *
 * @example
 * const run = await runPlugin(plugin, { options: { blockWord: 'x' }, request: { model: 'm', messages: [{ role: 'user', content: 'x' }] } });
 * expect(run.status).toBe(400);
 */
export async function runPlugin(plugin: PluginDefinition<any>, o: RunPluginOptions): Promise<PluginRun> {
  const logger = createMemoryLogger();
  const loaded = await loadPlugins([{ source: plugin.name, definition: plugin, options: o.options }], logger);
  const driver = new HookDriver(loaded, { logger, hookTimeoutMs: o.hookTimeoutMs });
  const endpoint = o.endpoint ?? 'chat';
  const state = new RequestState({
    requestId: 'test-request',
    method: 'POST',
    route: `/${endpoint === 'chat' ? 'chat/completions' : endpoint}`,
    endpoint,
    headers: {},
    signal: new AbortController().signal,
    body: o.request,
  });
  if (o.key) state.setKey(o.key);
  const content = o.upstream?.content ?? 'Hello from the mock upstream.';
  const usage = o.upstream?.usage ?? {
    prompt_tokens: 5,
    completion_tokens: content.split(' ').length,
    total_tokens: 5 + content.split(' ').length,
  };
  const run: PluginRun = {
    status: 0,
    body: null,
    chunks: [],
    upstreamRequest: null,
    headers: {},
    logs: logger.lines,
    finish: null as never,
  };
  const finish: FinishSummary = {
    requestId: state.requestId,
    status: 0,
    error: null,
    stream: state.stream,
    upstreamCalled: false,
    aborted: false,
    usage: null,
    usageEstimated: false,
    costMicros: 0,
    unpriced: true,
    startedAt: state.startedAt,
    ttfbMs: null,
    durationMs: 0,
  };
  try {
    let early = await driver.onRequest(state);
    if (!early) {
      state.setDeployment(DEPLOYMENT);
      early = await driver.beforeUpstream(state);
    }
    if (early) {
      run.status = early.respond.status ?? 200;
      run.body = early.respond.body as Record<string, unknown>;
    } else {
      finish.upstreamCalled = true;
      run.upstreamRequest = structuredClone(state.body);
      if (state.stream) {
        for (const word of content.split(/(?<= )/)) {
          const out = driver.chunk(state, {
            object: 'chat.completion.chunk',
            choices: [{ index: 0, delta: { content: word }, finish_reason: null }],
          });
          if (out) run.chunks.push(out);
        }
        await driver.afterResponse(state, { status: 200, stream: true, body: null, usage });
        run.body = null;
      } else {
        const body = {
          object: 'chat.completion',
          model: state.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage,
        };
        run.body = (await driver.afterResponse(state, { status: 200, stream: false, body, usage })) ?? body;
      }
      run.status = 200;
      finish.usage = usage;
    }
  } catch (err) {
    const mapped = toOpenAIError(err, state.requestId);
    run.status = mapped.status;
    run.body = mapped.body;
    run.headers = mapped.headers;
    finish.error = err;
    driver.error(state, err);
  }
  run.headers = { ...run.headers, ...state.responseHeaders };
  finish.status = run.status;
  finish.durationMs = performance.now() - state.startedAt;
  driver.finish(state, finish);
  // Let the fire-and-forget hooks run before the caller asserts on their effects.
  await new Promise((resolve) => setTimeout(resolve, 5));
  run.finish = finish;
  return run;
}
