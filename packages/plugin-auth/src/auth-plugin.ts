import {
  AuthError,
  definePlugin,
  PermissionError,
  type PluginDefinition,
  type RequestContext,
} from '@warden/core';
import { hash, timingSafeEqual } from 'node:crypto';
import { extractApiKey, isRawKey, type KeyLookup, masterKeyContext, type VerifyResult } from '@warden/keys';
import { modelAllowed } from './model-allowed.ts';
import { routeAllowed } from './route-allowed.ts';

/** Kept under its old name for callers of this package; the one implementation lives in @warden/keys. */
export const extractKey = extractApiKey;

const REFUSALS = {
  not_found: 'Invalid proxy server token passed. Unable to find token in cache or database.',
  blocked: 'Key is blocked. Update via /key/unblock if you are the owner.',
  team_blocked: "The key's team is blocked.",
  user_blocked: "The key's user is blocked.",
} as const;

export interface AuthPluginOptions {
  masterKey: string;
  lookup: KeyLookup;
}

/**
 * The built-in auth plugin (onRequest). Guard chain, first failure wins: missing → unknown →
 * blocked → expired → route allowed → model allowed (after the key's aliases). Only a raw `sk-`
 * key authenticates: a stored hash sent as a key is unknown.
 */
export function createAuthPlugin(options: AuthPluginOptions): PluginDefinition {
  const { masterKey, lookup } = options;
  const master = masterKeyContext(masterKey);
  // One SHA-256 per request serves both checks: the master-key comparison (constant time over
  // digests, so neither content nor length leaks) and the key lookup, whose stored hash is this same
  // digest in hex (SPEC 4: SHA-256 of the whole raw string). It used to be three hashes per request.
  const masterDigest = sha256(masterKey);
  return definePlugin({
    name: 'warden-auth',
    version: '1.0.0',
    apiVersion: '1.0',
    // Not `async`: on a key-cache hit the hook returns synchronously, so the driver needs no
    // promise and no timeout timer for it; only a cache miss waits for the database.
    onRequest(ctx) {
      const raw = extractKey(ctx.headers);
      if (!raw) throw new AuthError('No api key passed in.');
      if (!isRawKey(raw)) throw new AuthError(REFUSALS.not_found);
      const hex = hash('sha256', raw, 'hex');
      if (timingSafeEqual(Buffer.from(hex, 'hex'), masterDigest)) {
        ctx.setKey(master);
        return;
      }
      const cached = lookup.cachedHash(hex);
      if (cached !== null) return admit(ctx, cached);
      return lookup.verifyHash(hex).then((result) => admit(ctx, result));
    },
  });
}

/** The guard chain after the lookup: refusals, route and model checks, aliases. */
function admit(ctx: RequestContext, result: VerifyResult): void {
  if (!result.valid) {
    if (result.code === 'expired') throw new AuthError('Key has expired.', 'expired_key');
    throw new AuthError(REFUSALS[result.code]);
  }
  const key = result.key;
  if (!routeAllowed(key, ctx.route, ctx.method)) {
    throw new PermissionError(
      `This key (key_type=${key.keyType}) is not allowed to call route ${ctx.route}.`,
      'permission_error',
    );
  }
  ctx.setKey(key);
  if (ctx.endpoint !== null && ctx.model !== '') {
    const aliased = key.aliases[ctx.model];
    if (typeof aliased === 'string' && aliased !== ctx.model) ctx.setModel(aliased);
    if (!modelAllowed(key, ctx.model)) {
      throw new PermissionError(
        `key not allowed to access model. This key can only access models=${JSON.stringify(key.models.filter((m) => !m.startsWith('\u0000')))}. Tried to access ${ctx.model}`,
        'key_model_access_denied',
        'model',
      );
    }
  }
}

/** One-shot `crypto.hash` (Node ≥ 20.12): half the cost of a createHash object per request. */
function sha256(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
