import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { HookDriver, Logger, RequestState } from '@warden/core';
import { fromTransportError, SseScanner, type StreamResult } from '@warden/providers';
import { errorFrame } from '../http/error-response.ts';

export interface StreamOutcome {
  scanner: SseScanner;
  /** The error that ended the stream early (sent to the client as a final error frame). */
  error: unknown;
  aborted: boolean;
  ttfbMs: number | null;
}

/**
 * Relays an upstream SSE stream to the client. Without chunk hooks and with usage requested by the
 * client the bytes are written exactly as received; otherwise the scanner drops the usage-only chunk
 * or runs the hooks per event. Backpressure: a slow client pauses the upstream read.
 */
export async function writeStream(
  res: ServerResponse,
  headers: Record<string, string>,
  upstream: StreamResult,
  state: RequestState,
  driver: HookDriver,
  hideUsageChunk: boolean,
  logger: Logger,
): Promise<StreamOutcome> {
  const transform = driver.hasChunkHooks
    ? (chunk: Parameters<HookDriver['chunk']>[1]) => driver.chunk(state, chunk)
    : null;
  const scanner = new SseScanner({ hideUsageChunk, transform });
  const outcome: StreamOutcome = { scanner, error: null, aborted: false, ttfbMs: null };
  res.writeHead(200, headers);
  // Headers go out at once so the client's time to first byte is not held by the upstream's first token.
  res.flushHeaders();
  outcome.ttfbMs = performance.now() - state.startedAt;
  try {
    for await (const bytes of upstream.body) {
      const out = scanner.push(bytes);
      if (out.length > 0 && !res.write(out)) {
        if (res.destroyed) break;
        await once(res, 'drain', { signal: state.signal });
      }
      if (state.signal.aborted) break;
    }
    const rest = scanner.end();
    if (rest.length > 0 && !res.destroyed) res.write(rest);
  } catch (err) {
    if (state.signal.aborted || res.destroyed) {
      outcome.aborted = true;
    } else {
      const mapped = isTransport(err)
        ? fromTransportError(err, state.model, state.deployment?.streamTimeoutMs ?? 0)
        : err;
      outcome.error = mapped;
      res.write(errorFrame(mapped, state.requestId, logger));
    }
    upstream.cancel();
  }
  if (state.signal.aborted) {
    outcome.aborted = true;
    upstream.cancel();
  }
  if (!res.destroyed) res.end();
  return outcome;
}

function isTransport(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('UND_ERR') || code.startsWith('E'));
}
