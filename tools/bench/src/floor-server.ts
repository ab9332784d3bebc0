// The floor: the least any Node gateway does — read the body, forward it with undici, write the
// answer back — with no auth, policy, limits or spend. Run as its own process, pinned like a gateway:
//   node tools/bench/src/floor-server.ts --port N --upstream http://127.0.0.1:M --api-key K
// Its added latency and throughput show what Node itself costs on this machine, so Warden's own
// cost is (warden − floor), and a target below the floor is out of reach for any Node gateway.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({
  options: { port: { type: 'string' }, upstream: { type: 'string' }, 'api-key': { type: 'string' } },
});
const pool = new Pool(String(values.upstream), { connections: 256 });
const authorization = `Bearer ${values['api-key']}`;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    pool
      .request({
        path: req.url ?? '/',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: Buffer.concat(chunks),
      })
      .then(({ statusCode, headers, body }) => {
        res.writeHead(statusCode, { 'content-type': String(headers['content-type'] ?? 'application/json') });
        body.pipe(res);
      })
      .catch((err: Error) => {
        res.writeHead(502).end(err.message);
      });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(values.port), '127.0.0.1', () =>
  process.stdout.write(`floor listening on ${values.port}\n`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
