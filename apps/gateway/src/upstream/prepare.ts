import type { Deployment } from '@warden/core';

/**
 * Fields that belong to the gateway (SPEC section 3): read for policies and the spend log, never sent
 * upstream. Real providers refuse unknown fields (OpenAI: `metadata` needs `store: true`).
 */
const GATEWAY_FIELDS = new Set(['metadata', 'mock_response', 'tags', 'guardrails']);

export function isGatewayField(name: string): boolean {
  return GATEWAY_FIELDS.has(name) || name.startsWith('litellm_') || name.startsWith('warden_');
}

export interface PreparedBody {
  body: Record<string, unknown>;
  bytes: Buffer | string;
  gatewayFields: Record<string, unknown> | null;
  /** The client asked for the usage chunk itself; otherwise Warden hides it. */
  clientWantsUsage: boolean;
  /** The client's bytes go upstream unchanged. */
  raw: boolean;
}

/**
 * Builds what the upstream receives. The client's raw bytes are forwarded when nothing had to change
 * (no gateway field, no hook change, same model name, usage already asked for): no re-serialisation.
 */
export function prepareUpstreamBody(
  body: Record<string, unknown>,
  rawBytes: Buffer,
  bodyChanged: boolean,
  deployment: Deployment,
  stream: boolean,
): PreparedBody {
  let gatewayFields: Record<string, unknown> | null = null;
  for (const key in body) {
    if (!isGatewayField(key)) continue;
    if (gatewayFields === null) gatewayFields = {};
    gatewayFields[key] = body[key];
  }
  const options = body.stream_options as { include_usage?: unknown } | undefined | null;
  const clientWantsUsage = stream && options?.include_usage === true;
  const needsUsage = stream && !clientWantsUsage;
  if (!bodyChanged && gatewayFields === null && !needsUsage && body.model === deployment.model) {
    return { body, bytes: rawBytes, gatewayFields, clientWantsUsage, raw: true };
  }
  const clean: Record<string, unknown> = {};
  for (const key in body) if (!isGatewayField(key)) clean[key] = body[key];
  clean.model = deployment.model;
  // Always ask for usage on streams: spend and token limits need the real count.
  if (needsUsage) clean.stream_options = { ...(options ?? {}), include_usage: true };
  return { body: clean, bytes: JSON.stringify(clean), gatewayFields, clientWantsUsage, raw: false };
}
