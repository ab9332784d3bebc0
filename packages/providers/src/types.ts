import type { Cancellation, Deployment, Endpoint } from '@warden/core';

/** One call to an upstream, built by the gateway after the hooks ran. */
export interface UpstreamCall {
  deployment: Deployment;
  endpoint: Endpoint;
  /** The body as the upstream will see it (gateway fields removed, model rewritten). */
  body: Record<string, unknown>;
  /** The exact bytes to send: the client's raw bytes when nothing had to change, else `body` serialised. */
  bytes: Buffer | string;
  /** The gateway's own fields that were removed (`mock_response` drives the mock provider). */
  gatewayFields: Record<string, unknown> | null;
  stream: boolean;
  requestId: string;
  /** Cancelled when the client goes away: the upstream request is aborted with it. */
  cancellation: Cancellation;
}

/** A non-streamed answer: the upstream's bytes are forwarded as they are, parsed only for usage. */
export interface JsonResult {
  kind: 'json';
  status: number;
  bytes: Buffer;
}

/** A streamed answer: raw SSE bytes, in the upstream's framing. */
export interface StreamResult {
  kind: 'stream';
  status: number;
  body: AsyncIterable<Buffer>;
  /** Stops reading and releases the upstream connection. */
  cancel(): void;
}

export type UpstreamResult = JsonResult | StreamResult;

export interface Provider {
  readonly name: string;
  /** Resolves once response headers arrived (status < 400) or throws a GatewayError. */
  send(call: UpstreamCall): Promise<UpstreamResult>;
  close(): Promise<void>;
}
