import type { IncomingMessage } from 'node:http';
import { BadRequestError, RequestTooLargeError } from '@warden/core';

/** How much of an oversized body we still read (and discard) so the client gets to see the 413. */
const DRAIN_BYTES = 8 * 1024 * 1024;
const MAX_DEPTH = 64;

/**
 * Reads the request body up to `limit` bytes. Past the limit it stops buffering and drains a bounded
 * amount: a client still busy sending would otherwise see a reset instead of the 413 answer.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    let drained = 0;
    let settled = false;
    // Listeners stay attached after the promise settles (they are no-ops then): a flowing stream
    // discards what is left, which is what draining an oversized body needs. Inline anonymous
    // functions: this runs per request, and named closures cost a `__name` definition each under tsx.
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (over) {
        drained += chunk.length;
        if (drained > DRAIN_BYTES) {
          settled = true;
          reject(new RequestTooLargeError(limit));
        }
        return;
      }
      size += chunk.length;
      if (size > limit) {
        over = true;
        parts.length = 0;
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      if (over) reject(new RequestTooLargeError(limit));
      else resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size));
    });
    req.on('error', (err: Error) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
  });
}

/** Parses a JSON object body: malformed, non-object and too-deep bodies are 400s. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) throw new BadRequestError('Request body is empty; expected a JSON object');
  if (raw.length > MAX_DEPTH && tooDeep(raw)) {
    throw new BadRequestError(`Request body nests deeper than ${MAX_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new BadRequestError(`Malformed JSON in request body: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequestError('Request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** One pass over the bytes, counting brackets outside strings: cheaper than any recursive check after parsing. */
function tooDeep(raw: Buffer): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
