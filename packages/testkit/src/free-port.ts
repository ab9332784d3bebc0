import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now (the OS picks it). Another process could take it before you
 * bind; prefer listening on port 0 in-process and use this only for child processes that need `--port`.
 *
 * @example
 * const port = await freePort();
 * await startProcess({ cmd: 'node', args: ['server.js', '--port', String(port)], readyUrl: `http://127.0.0.1:${port}/health` });
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: no address'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}
