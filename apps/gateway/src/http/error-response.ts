import { isGatewayError, type Logger, toOpenAIError } from '@warden/core';
import type { Context } from 'koa';

/**
 * The one place a thrown value becomes an HTTP answer. GatewayErrors carry their public message;
 * anything else is a bug: the client sees a generic 500 naming the request id, the log gets details.
 */
export function errorResponse(ctx: Context, err: unknown, requestId: string, logger: Logger): number {
  const { status, body, headers } = toOpenAIError(err, requestId);
  if (!isGatewayError(err)) logger.error('unhandled error', { requestId, route: ctx.path, err });
  ctx.status = status;
  ctx.set('x-request-id', requestId);
  for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
  ctx.type = 'application/json';
  ctx.body = body;
  return status;
}

/** The SSE form of the same mapping, for errors after a stream has started. */
export function errorFrame(err: unknown, requestId: string, logger: Logger): string {
  if (!isGatewayError(err)) logger.error('unhandled error in stream', { requestId, err });
  return `data: ${JSON.stringify(toOpenAIError(err, requestId).body)}\n\n`;
}
