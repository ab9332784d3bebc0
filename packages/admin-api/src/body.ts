import { BadRequestError, RequestTooLargeError } from '@warden/core';
import type { IncomingMessage } from 'node:http';

const DEFAULT_LIMIT = 1024 * 1024;

/**
 * Reads the JSON body of an admin request, bounded. Reuses a body some earlier middleware already
 * parsed (`ctx.request.body`), so the router works behind a body parser or without one.
 */
export async function readJsonObject(
  ctx: { request: unknown; req: IncomingMessage },
  limitBytes = DEFAULT_LIMIT,
): Promise<Record<string, unknown>> {
  const pre = (ctx.request as { body?: unknown }).body;
  let value: unknown = pre;
  if (pre === undefined) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > limitBytes) throw new RequestTooLargeError(limitBytes);
      chunks.push(buf);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') value = {};
    else {
      try {
        value = JSON.parse(text);
      } catch {
        throw new BadRequestError('Malformed JSON in request body');
      }
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequestError('Request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
