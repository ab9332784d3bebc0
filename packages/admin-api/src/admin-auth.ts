import { AuthError, PermissionError } from '@warden/core';
import { constantTimeEqual, extractApiKey, globMatch, type KeyLookup, masterKeyContext } from '@warden/keys';
import type { KeyContext } from '@warden/core';
import type { Middleware } from 'koa';
import type { AdminState, Caller } from './types.ts';

export { extractApiKey };

const REFUSALS = {
  not_found: 'Invalid proxy server token passed. Key not found.',
  blocked: 'Key is blocked.',
  expired: 'Key has expired.',
  team_blocked: "The key's team is blocked.",
  user_blocked: "The key's user is blocked.",
} as const;

/**
 * Resolves the caller of an admin route into `ctx.state.caller`: the master key (compared in
 * constant time) or a valid virtual key. Admin = master key, or a key whose user is proxy_admin.
 */
export function adminAuth(deps: { keys: KeyLookup; masterKey: string }): Middleware<AdminState> {
  const master = masterKeyContext(deps.masterKey);
  return async (ctx, next) => {
    const raw = extractApiKey(ctx.headers);
    if (!raw) throw new AuthError('No api key passed in.');
    let caller: Caller;
    if (constantTimeEqual(raw, deps.masterKey)) {
      caller = { isAdmin: true, actor: 'master', key: master };
    } else {
      const result = await deps.keys.verify(raw);
      if (!result.valid) {
        throw new AuthError(REFUSALS[result.code], result.code === 'expired' ? 'expired_key' : 'auth_error');
      }
      caller = { isAdmin: result.key.isAdmin, actor: result.key.hash, key: result.key };
      // Reading one's own key is open to every key (SPEC 4); the route handler checks ownership.
      const ownInfo = ctx.method === 'GET' && ctx.path === '/key/info';
      if (!ownInfo && !adminRouteAllowed(result.key, ctx.path, ctx.method)) {
        throw new PermissionError(
          `This key (key_type=${result.key.keyType}) is not allowed to call ${ctx.method} ${ctx.path}.`,
        );
      }
    }
    ctx.state.caller = caller;
    await next();
  };
}

/** Refuses non-admin callers with 403 (after `adminAuth`). */
export const requireAdmin: Middleware<AdminState> = async (ctx, next) => {
  if (!ctx.state.caller?.isAdmin) {
    throw new PermissionError(
      'Only proxy admins (master key or a proxy_admin user key) can call this route.',
    );
  }
  await next();
};

export function callerOf(state: AdminState): Caller {
  if (!state.caller) throw new Error('adminAuth must run before admin routes');
  return state.caller;
}

/**
 * LiteLLM's key_type presets on the admin API: `llm_api` keys are for model calls only, `read_only`
 * keys may only read (GET); `management` and `default` pass (admin rights are checked separately).
 * A key's `allowed_routes`, when set, binds admin routes too.
 */
function adminRouteAllowed(key: KeyContext, path: string, method: string): boolean {
  if (key.keyType === 'llm_api') return false;
  if (key.keyType === 'read_only' && method !== 'GET') return false;
  return key.allowedRoutes.length === 0 || key.allowedRoutes.some((pattern) => globMatch(pattern, path));
}
