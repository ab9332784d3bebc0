import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy } from './tcp-proxy.ts';

/** Connect, send `msg`, resolve with the echo; rejects on a reset or a closed connection. */
function roundTrip(port: number, msg: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    let got = '';
    s.on('connect', () => s.write(msg));
    s.on('data', (d) => {
      got += d.toString();
      if (got.length >= msg.length) {
        s.end();
        resolve(got);
      }
    });
    s.on('error', reject);
    s.on('close', () => reject(new Error(`closed after ${JSON.stringify(got)}`)));
  });
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

describe('startTcpProxy', () => {
  let echo: Server;
  let echoPort = 0;
  beforeAll(async () => {
    echo = createServer((s) => {
      s.on('error', () => {});
      s.pipe(s);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => echo.close(() => r())));

  it('forwards, cuts live and new connections, and restores', async () => {
    const proxy = await startTcpProxy({ targetHost: '127.0.0.1', targetPort: echoPort });
    try {
      expect(await roundTrip(proxy.port, 'ping')).toBe('ping');

      // A live connection dies on cut().
      const live = await openSocket(proxy.port);
      const closed = new Promise<void>((r) => live.on('close', () => r()));
      live.on('error', () => {});
      await new Promise((r) => setTimeout(r, 20));
      expect(proxy.connections).toBe(1);
      proxy.cut();
      expect(proxy.isCut).toBe(true);
      await closed;
      expect(proxy.connections).toBe(0);

      // New connections are refused while cut.
      await expect(roundTrip(proxy.port, 'ping')).rejects.toThrow();

      proxy.restore();
      expect(await roundTrip(proxy.port, 'pong')).toBe('pong');
    } finally {
      await proxy.close();
    }
  });

  it('close() stops listening', async () => {
    const proxy = await startTcpProxy({ targetHost: '127.0.0.1', targetPort: echoPort });
    await proxy.close();
    await expect(roundTrip(proxy.port, 'x')).rejects.toThrow();
  });

  it('a dead target closes the client connection instead of hanging', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as { port: number }).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const proxy = await startTcpProxy({ targetHost: '127.0.0.1', targetPort: deadPort });
    try {
      await expect(roundTrip(proxy.port, 'x')).rejects.toThrow();
    } finally {
      await proxy.close();
    }
  });
});
