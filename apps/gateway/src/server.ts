import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@warden/core';
import type { Gateway } from './gateway.ts';

export interface RunningServer {
  server: Server;
  port: number;
  /** Stop accepting, let in-flight requests and streams finish (bounded), then close the gateway. */
  shutdown(graceMs?: number): Promise<void>;
}

export async function listen(
  gateway: Gateway,
  port: number,
  host: string,
  logger: Logger,
): Promise<RunningServer> {
  let inFlight = 0;
  let drained: (() => void) | null = null;
  const handler = gateway.app.callback();
  // One shared listener, not a closure per request: `close` fires once per response anyway.
  const onClose = () => {
    inFlight--;
    if (inFlight === 0) drained?.();
  };
  const server = createServer((req, res) => {
    inFlight++;
    res.on('close', onClose);
    handler(req, res);
  });
  // Longer than common load balancers' idle timeouts, so they never reuse a socket we just closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0; // streams may legitimately run for minutes
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | null = null;
  const shutdown = (graceMs = 30_000) =>
    (stopping ??= (async () => {
      server.close();
      server.closeIdleConnections();
      if (inFlight > 0) {
        logger.info('waiting for in-flight requests', { inFlight, graceMs });
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, graceMs).unref();
        });
      }
      server.closeAllConnections();
      await gateway.close();
    })());
  return { server, port: actual, shutdown };
}
