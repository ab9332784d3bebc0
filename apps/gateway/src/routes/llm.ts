import {
  AuthError,
  BadRequestError,
  Cancellation,
  type Endpoint,
  type FinishSummary,
  type HookDriver,
  type HookResponse,
  type Logger,
  RequestState,
  type Usage,
} from '@warden/core';
import { extractApiKey } from '@warden/keys';
import type { ProviderRegistry } from '@warden/providers';
import type { Context } from 'koa';
import { errorResponse } from '../http/error-response.ts';
import { parseJsonObject, readBody } from '../http/read-body.ts';
import { validateLlmBody } from '../http/validate-request.ts';
import type { CostFn } from '../pricing.ts';
import type { ModelRouter } from '../routing/model-router.ts';
import { sendWithRetries } from '../upstream/send.ts';
import { usageOnly } from '../upstream/top-level-usage.ts';
import { estimateStreamUsage, usageFromJson } from '../upstream/usage.ts';
import { writeStream } from '../upstream/write-stream.ts';

export interface LlmDeps {
  driver: HookDriver;
  providers: ProviderRegistry;
  router: ModelRouter;
  logger: Logger;
  cost: CostFn;
  maxRequestBytes: number;
  numRetries: number;
}

const ROUTES: Record<Endpoint, string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
};

/**
 * One LLM call: body → onRequest hooks (auth, policy, ...) → routing → beforeUpstream hooks (limits,
 * ...) → upstream → afterResponse hooks → response → onFinish (off the response path). Every request
 * that got past parsing reaches onFinish exactly once, whatever happened, so slots and reservations
 * are always released and every call is in the spend log.
 */
export function createLlmHandler(deps: LlmDeps) {
  const { driver, logger } = deps;

  return async function handleLlm(ctx: Context, endpoint: Endpoint, requestId: string): Promise<void> {
    const res = ctx.res;
    const cancellation = new Cancellation();
    // `close` before `finish` means the client went away: abort the upstream call with it.
    res.once('close', () => {
      if (!res.writableFinished) cancellation.cancel();
    });
    // A request without any key is refused before its body is buffered: an anonymous client must not
    // make the gateway read (up to max_request_size_mb) or parse anything. The auth plugin still
    // does the real verification once the body is known.
    if (extractApiKey(ctx.headers) === null) throw new AuthError('No api key passed in.');
    const raw = await readBody(ctx.req, deps.maxRequestBytes);
    const body = parseJsonObject(raw);
    validateLlmBody(endpoint, body);

    const state = new RequestState({
      requestId,
      method: 'POST',
      route: ROUTES[endpoint],
      endpoint,
      headers: ctx.headers,
      cancellation,
      body,
    });
    const summary: FinishSummary = {
      requestId,
      status: 0,
      error: null,
      stream: state.stream,
      upstreamCalled: false,
      aborted: false,
      usage: null,
      usageEstimated: false,
      costMicros: 0,
      unpriced: false,
      startedAt: state.startedAt,
      ttfbMs: null,
      durationMs: 0,
    };

    try {
      const early = (await driver.onRequest(state)) ?? (await route(state));
      if (early) return answer(ctx, early, state, summary);
      const upstreamStart = performance.now();
      summary.upstreamCalled = true;
      const sent = await sendWithRetries(
        state,
        endpoint,
        raw,
        deps.providers,
        deps.router,
        deps.numRetries,
        cancellation,
      );
      const upstreamEnd = performance.now();
      const headers = responseHeaders(state, requestId);

      if (sent.result.kind === 'stream') {
        headers['x-warden-overhead-duration-ms'] = (upstreamStart - state.startedAt).toFixed(3);
        headers['content-type'] = 'text/event-stream; charset=utf-8';
        headers['cache-control'] = 'no-cache';
        ctx.respond = false;
        const out = await writeStream(
          res,
          headers,
          sent.result,
          state,
          driver,
          !sent.prepared.clientWantsUsage,
          logger,
        );
        const scanned = out.scanner.result();
        summary.status = 200;
        summary.ttfbMs = out.ttfbMs;
        summary.aborted = out.aborted;
        summary.error = out.error;
        settleUsage(
          summary,
          scanned.usage ?? (scanned.events > 0 ? estimateStreamUsage(state.body, scanned.events) : null),
          scanned.usage === null,
          state,
          deps.cost,
        );
        void driver
          .afterResponse(state, { status: 200, stream: true, body: null, usage: summary.usage })
          .catch((err) => logger.error('afterResponse hook failed after stream', { requestId, err }));
        return;
      }

      // Only an afterResponse hook needs the parsed answer; otherwise usage is read from the bytes.
      const wantsBody = driver.hasAfterResponseHooks;
      const { usage, body: parsed } = wantsBody
        ? usageFromJson(sent.result.bytes)
        : { usage: usageOnly(sent.result.bytes), body: null };
      settleUsage(summary, usage, false, state, deps.cost);
      const replaced = wantsBody
        ? await driver.afterResponse(state, {
            status: sent.result.status,
            stream: false,
            body: parsed,
            usage,
          })
        : null;
      headers['x-warden-response-cost'] = (summary.costMicros / 1e6).toString();
      headers['x-warden-overhead-duration-ms'] = (
        performance.now() -
        upstreamEnd +
        (upstreamStart - state.startedAt)
      ).toFixed(3);
      // The upstream's bytes go to the client as they came, unless a hook replaced the body.
      const payload = replaced ? Buffer.from(JSON.stringify(replaced)) : sent.result.bytes;
      headers['content-type'] = 'application/json; charset=utf-8';
      headers['content-length'] = String(payload.length);
      // One writeHead with every header instead of a Koa `ctx.set` (and Node `setHeader`) per header:
      // the success answer is the hottest write of the gateway. Koa supports this (`respond = false`),
      // as for streams; errors and hook answers still go through Koa below.
      ctx.respond = false;
      res.writeHead(sent.result.status, headers);
      res.end(payload);
      summary.status = sent.result.status;
      summary.ttfbMs = performance.now() - state.startedAt;
    } catch (err) {
      summary.error = err;
      summary.aborted = cancellation.cancelled;
      if (state.responseHeaders) for (const [k, v] of Object.entries(state.responseHeaders)) ctx.set(k, v);
      summary.status = errorResponse(ctx, err, requestId, logger);
      driver.error(state, err);
    } finally {
      summary.durationMs = performance.now() - state.startedAt;
      driver.finish(state, summary);
    }
  };

  /** Picks the deployment for the (aliased) public model, then runs the beforeUpstream hooks. */
  async function route(state: RequestState): Promise<HookResponse | undefined> {
    const deployment = deps.router.pick(state.model);
    if (!deployment) {
      throw new BadRequestError(
        `Invalid model name passed in model=${state.model}. Call \`/v1/models\` to view available models for your key.`,
        'model',
      );
    }
    state.setDeployment(deployment);
    return driver.beforeUpstream(state);
  }
}

function responseHeaders(state: RequestState, requestId: string): Record<string, string> {
  const headers: Record<string, string> = { 'x-request-id': requestId };
  if (state.deployment) headers['x-warden-model-id'] = state.deployment.id;
  if (state.responseHeaders) Object.assign(headers, state.responseHeaders);
  return headers;
}

function answer(ctx: Context, early: HookResponse, state: RequestState, summary: FinishSummary): void {
  const { status = 200, body, headers = {} } = early.respond;
  ctx.set('x-request-id', state.requestId);
  for (const [k, v] of Object.entries({ ...state.responseHeaders, ...headers })) ctx.set(k, v);
  ctx.status = status;
  ctx.body = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  ctx.type = 'application/json';
  summary.status = status;
}

function settleUsage(
  summary: FinishSummary,
  usage: Usage | null,
  estimated: boolean,
  state: RequestState,
  cost: CostFn,
): void {
  summary.usage = usage;
  summary.usageEstimated = estimated && usage !== null;
  if (usage && state.deployment) {
    const c = cost(state.deployment, usage);
    summary.costMicros = c.micros;
    summary.unpriced = c.unpriced;
  }
}
