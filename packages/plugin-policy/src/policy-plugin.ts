import type { KeyContext, PluginDefinition, RequestContext } from '@warden/core';
import { AuthError, BadRequestError, definePlugin, GatewayError, PermissionError } from '@warden/core';
import type { PolicyEngine, PolicyKeyInfo, Violation } from '@warden/policy';

export interface PolicyPluginOptions {
  engine: PolicyEngine;
}

/**
 * The built-in policy plugin: on each LLM call (POST chat, completions, embeddings), evaluates the
 * engine's lists and policies against the body, the key and the model; refuses with the first
 * violation, or replaces the body when rules changed it. Never runs for GET /models or health.
 *
 * @example
 * const engine = createPolicyEngine({ settings: { serviceAccountParams: ['user'] }, configPolicies });
 * const plugin = createPolicyPlugin({ engine });
 */
export function createPolicyPlugin(options: PolicyPluginOptions): PluginDefinition {
  const { engine } = options;
  return definePlugin({
    name: 'policy',
    version: '0.1.0',
    apiVersion: '1.0',
    onRequest(ctx: RequestContext): void {
      if (ctx.endpoint === null) return;
      // Auth runs first and sets the key; a missing key means the chain is misconfigured: refuse.
      if (ctx.key === null) throw new AuthError('No API key was resolved for this request.');
      const result = engine.evaluate({
        request: ctx.body as Record<string, unknown>,
        key: policyKey(ctx.key),
        route: ctx.route,
        method: ctx.method,
        model: ctx.model,
      });
      if (!result.allow) throw violationError(result.violations[0]!);
      if (result.mutated) ctx.setBody(result.request);
    },
  });
}

// Auth hands out one KeyContext object per cached key, so the translation is done once per key.
const keyInfos = new WeakMap<KeyContext, PolicyKeyInfo>();

/** The key as policies see it (`key.*`). */
export function policyKey(key: KeyContext): PolicyKeyInfo {
  let info = keyInfos.get(key);
  if (info === undefined) {
    info = {
      type: key.ownerType,
      alias: key.alias,
      team_id: key.teamId,
      user_id: key.userId,
      metadata: key.metadata as Record<string, unknown>,
      models: key.models,
      enforced_params: key.enforcedParams,
    };
    keyInfos.set(key, info);
  }
  return info;
}

/** One violation as the client sees it (SPEC 3): 400 is bad_request_error with the rule's param. */
export function violationError(v: Violation): GatewayError {
  if (v.status === 400) return new BadRequestError(v.message, v.param);
  if (v.status === 403) return new PermissionError(v.message, 'permission_error', v.param);
  return new GatewayError(v.status, 'bad_request_error', v.message, { param: v.param });
}
