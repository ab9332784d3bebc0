import Router from '@koa/router';
import { type Endpoint, type HookDriver, type Logger, NotFoundError } from '@warden/core';
import type { ProviderRegistry } from '@warden/providers';
import Koa from 'koa';
import { errorResponse } from './http/error-response.ts';
import { requestIdFrom } from './http/request-id.ts';
import type { CostFn } from './pricing.ts';
import { createHealthRoutes, type Readiness } from './routes/health.ts';
import { createLlmHandler } from './routes/llm.ts';
import { createModelRoutes } from './routes/models.ts';
import { createUiRoute } from './routes/ui.ts';
import type { ModelRouter } from './routing/model-router.ts';

export interface AppDeps {
  driver: HookDriver;
  providers: ProviderRegistry;
  router: ModelRouter;
  logger: Logger;
  cost: CostFn;
  readiness: Readiness;
  maxRequestBytes: number;
  numRetries: number;
  /** Admin API routers (keys, teams, users, policies, spend, audit), mounted as they are. */
  adminRouters: Router[];
  /** Folder of the built admin UI, served at /ui/. */
  uiDir: string | null;
}

const LLM_ROUTES: Array<[string, Endpoint]> = [
  ['/chat/completions', 'chat'],
  ['/completions', 'completions'],
  ['/embeddings', 'embeddings'],
];

/** Builds the Koa app from its dependencies; tests call it in-process, the CLI adds a port. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  const router = new Router();
  const llm = createLlmHandler(deps);
  const models = createModelRoutes(deps.driver, deps.router);
  const health = createHealthRoutes(deps.readiness);
  const ui = createUiRoute(deps.uiDir);
  const rid = (ctx: Koa.Context) => ctx.state.requestId as string;

  for (const [path, endpoint] of LLM_ROUTES) {
    const handler = (ctx: Koa.Context) => llm(ctx, endpoint, rid(ctx));
    router.post(path, handler);
    router.post(`/v1${path}`, handler);
    // Azure-style and OpenAI-engine-style paths that LiteLLM also accepts.
    router.post(`/openai/deployments/:deployment${path}`, handler);
  }
  for (const prefix of ['', '/v1']) {
    router.get(`${prefix}/models`, (ctx) => models.list(ctx, rid(ctx)));
    router.get(`${prefix}/model/info`, (ctx) => models.info(ctx, rid(ctx)));
  }
  router.get('/health/liveliness', health.live);
  router.get('/health/liveness', health.live);
  router.get('/health/readiness', health.ready);
  // Non-strict routing also matches '/ui/' here, so redirect only the bare path.
  router.get('/ui', (ctx) => (ctx.path === '/ui' ? ctx.redirect('/ui/') : ui(ctx)));
  router.get('/ui/{*path}', ui);
  router.get('/', (ctx) => ctx.redirect('/ui/'));

  // The exact LLM paths skip every router: @koa/router tests each admin router's layers in turn
  // (regex per route) before reaching these, which cost ~5% of CPU per LLM call under load. Other
  // spellings (trailing slash, other case, /openai/deployments/...) still go through the router.
  const llmPaths = new Map<string, Endpoint>();
  for (const [path, endpoint] of LLM_ROUTES) {
    llmPaths.set(path, endpoint);
    llmPaths.set(`/v1${path}`, endpoint);
  }

  // Outermost: request id, and the single place errors become OpenAI-shaped answers.
  app.use(async (ctx, next) => {
    const requestId = requestIdFrom(ctx.headers['x-request-id']);
    ctx.state.requestId = requestId;
    try {
      const endpoint = ctx.method === 'POST' ? llmPaths.get(ctx.path) : undefined;
      // The LLM handler names the request id in each answer it writes (its success answer is one
      // writeHead, which is only cheap when no header was set before it).
      if (endpoint !== undefined) await llm(ctx, endpoint, requestId);
      else {
        ctx.set('x-request-id', requestId);
        await next();
      }
      if (ctx.status === 404 && ctx.body === undefined && ctx.respond !== false) {
        throw new NotFoundError(`Route not found: ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      errorResponse(ctx, err, requestId, deps.logger);
    }
  });
  for (const admin of deps.adminRouters) app.use(admin.routes()).use(admin.allowedMethods());
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: false }));
  app.silent = true;
  return app;
}
