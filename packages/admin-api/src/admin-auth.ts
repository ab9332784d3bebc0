import { AuthError, PermissionError } from '@warden/core';
import { constantTimeEqual, type KeyLookup, masterKeyContext } from '@warden/keys';
import type { Middleware } from 'koa';
import type { AdminState, Caller } from './types.ts';

const HEADERS = ['x-litellm-api-key', 'api-key', 'x-api-key'] as const;

/** The key a request carries: `Authorization: Bearer`, `x-litellm-api-key`, `api-key` or `x-api-key`. */
export function extractApiKey(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | null {
  const auth = headers.authorization;
  const authValue = Array.isArray(auth) ? auth[0] : auth;
  if (authValue) {
    const m = /^Bearer\s+(.+)$/i.exec(authValue.trim());
    if (m?.[1]) return m[1].trim();
  }
  for (const name of HEADERS) {
    const v = headers[name];
    const value = Array.isArray(v) ? v[0] : v;
    if (value?.trim()) return value.trim();
  }
  return null;
}

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
