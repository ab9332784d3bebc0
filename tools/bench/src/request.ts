import type { Dispatcher } from 'undici';
import { Pool } from 'undici';

/** What a target asks the load generator to send. Built once; the body is a shared Buffer. */
export interface RequestSpec {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Timings of one request, in nanoseconds on the process.hrtime clock. */
export interface Timing {
  status: number;
  /** First response body byte (headers time when the body is empty). */
  firstByteNs: number;
  endNs: number;
  bytes: number;
  error: Error | null;
}

/**
 * One undici Pool per target: keep-alive, pipelining 1 (a gateway is measured one request per
 * connection at a time, like real clients), up to `connections` sockets opened on demand.
 */
export function createPool(origin: string, connections: number): Pool {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
}

export const now = (): number => Number(process.hrtime.bigint());

/**
 * Dispatch with the raw handler API instead of `request()`: no stream objects or promises per
 * request, so the generator spends its core on sockets, and the first-byte time is exact.
 */
export function send(pool: Dispatcher, spec: RequestSpec, done: (t: Timing) => void): void {
  const t: Timing = { status: 0, firstByteNs: 0, endNs: 0, bytes: 0, error: null };
  pool.dispatch(
    { origin: spec.origin, path: spec.path, method: 'POST', headers: spec.headers, body: spec.body },
    {
      // The classic handler shape: Pool.dispatch in undici 7 still validates for onConnect/onHeaders.
      onConnect() {},
      onHeaders(statusCode: number) {
        t.status = statusCode;
        return true;
      },
      onData(chunk: Buffer) {
        if (t.bytes === 0) t.firstByteNs = now();
        t.bytes += chunk.length;
        return true;
      },
      onComplete() {
        t.endNs = now();
        if (t.firstByteNs === 0) t.firstByteNs = t.endNs;
        done(t);
      },
      onError(err: Error) {
        t.endNs = now();
        t.error = err;
        done(t);
      },
    } as unknown as Dispatcher.DispatchHandler,
  );
}
