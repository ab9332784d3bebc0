import { connect, createServer, type Socket } from 'node:net';

/** Options for {@link startTcpProxy}. */
export interface TcpProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Port to listen on (127.0.0.1). Default 0 = any free port. */
  port?: number;
}

/** A running TCP proxy used to make a dependency (Postgres, Redis, the upstream) unreachable on demand. */
export interface TcpProxy {
  /** Port the proxy listens on, on 127.0.0.1. */
  port: number;
  /** Destroy every live connection (both sides) and refuse new ones until {@link TcpProxy.restore}. */
  cut(): void;
  /** Accept and forward connections again. */
  restore(): void;
  /** True while cut. */
  readonly isCut: boolean;
  /** Number of live client connections. */
  readonly connections: number;
  /** Stop listening and destroy every connection. */
  close(): Promise<void>;
}

/**
 * Start a TCP proxy on 127.0.0.1 forwarding to `targetHost:targetPort`. `cut()` simulates a dead
 * network path: live sockets are destroyed (clients see ECONNRESET) and new connections are
 * destroyed on accept (clients see a reset rather than a hang, like a refused port).
 *
 * @example
 * const proxy = await startTcpProxy({ targetHost: '127.0.0.1', targetPort: 5432 });
 * const url = `postgres://postgres@127.0.0.1:${proxy.port}/test`;
 * proxy.cut(); // database "unreachable"
 * proxy.restore();
 */
export async function startTcpProxy(opts: TcpProxyOptions): Promise<TcpProxy> {
  const live = new Set<Socket>();
  let isCut = false;

  const server = createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: opts.targetHost, port: opts.targetPort });
    live.add(client);
    live.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const teardown = () => {
      live.delete(client);
      live.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    // Errors are expected here (that is the point of the proxy); swallow them so they never crash the test.
    client.on('error', teardown);
    upstream.on('error', teardown);
    client.on('close', teardown);
    upstream.on('close', teardown);
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('tcp proxy: no address');

  const destroyAll = () => {
    for (const s of live) s.destroy();
    live.clear();
  };

  return {
    port: address.port,
    cut() {
      isCut = true;
      destroyAll();
    },
    restore() {
      isCut = false;
    },
    get isCut() {
      return isCut;
    },
    get connections() {
      return Math.ceil(live.size / 2);
    },
    close() {
      destroyAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
