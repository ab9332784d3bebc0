import type { KeyContext } from '@warden/core';
import { globMatch } from '@warden/keys';

/**
 * LiteLLM's key_type route presets, applied to the gateway's client routes: `llm_api` and `default`
 * may call everything here, `read_only` only the GET info routes (/models, /model/info),
 * `management` none of them (it is for the admin API).
 */
function presetAllows(keyType: string, method: string): boolean {
  switch (keyType) {
    case 'management':
      return false;
    case 'read_only':
      return method === 'GET';
    default:
      return true;
  }
}

/** `allowed_routes` entries match the route with or without `/v1` and may use `*` globs. */
export function routeAllowed(key: KeyContext, route: string, method: string): boolean {
  if (key.ownerType === 'admin') return true;
  if (!presetAllows(key.keyType, method)) return false;
  if (key.allowedRoutes.length === 0) return true;
  const candidates = [route, `/v1${route}`];
  return key.allowedRoutes.some((pattern) => candidates.some((c) => globMatch(pattern, c)));
}
