import { type HookDriver, type KeyContext, RequestState } from '@warden/core';
import { modelAllowed } from '@warden/plugin-auth';
import type { Context } from 'koa';
import type { ModelRouter } from '../routing/model-router.ts';

/**
 * GET /models and /model/info: what this key may call, straight from the config. The auth hooks run
 * (so a bad key is a 401) but no provider is ever asked.
 */
export function createModelRoutes(driver: HookDriver, router: ModelRouter) {
  const created = Math.floor(Date.now() / 1000);

  async function authenticate(ctx: Context, requestId: string, route: string): Promise<KeyContext | null> {
    const state = new RequestState({
      requestId,
      method: 'GET',
      route,
      endpoint: null,
      headers: ctx.headers,
      signal: new AbortController().signal,
    });
    await driver.onRequest(state);
    return state.key;
  }

  const visible = (key: KeyContext | null) =>
    router.names.filter((name) => key === null || modelAllowed(key, name));

  return {
    async list(ctx: Context, requestId: string): Promise<void> {
      const key = await authenticate(ctx, requestId, '/models');
      ctx.body = {
        object: 'list',
        data: visible(key).map((id) => ({ id, object: 'model', created, owned_by: 'warden' })),
      };
    },
    async info(ctx: Context, requestId: string): Promise<void> {
      const key = await authenticate(ctx, requestId, '/model/info');
      const names = new Set(visible(key));
      ctx.body = {
        data: router
          .all()
          .filter((d) => names.has(d.modelName))
          .map((d) => ({
            model_name: d.modelName,
            litellm_params: d.publicParams,
            model_info: { id: d.id, ...d.modelInfo },
          })),
      };
    },
  };
}
