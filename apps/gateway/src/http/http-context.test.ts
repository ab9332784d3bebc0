import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, describe, expect, it } from 'vitest';
import { type HttpContext, RawContext } from './http-context.ts';

type Scenario = (ctx: HttpContext) => void;

const SCENARIOS: Record<string, Scenario> = {
  json: (ctx) => {
    ctx.status = 201;
    ctx.type = 'application/json';
    ctx.body = { a: 1, s: 'é' };
  },
  bufferThenType: (ctx) => {
    ctx.body = Buffer.from('{"x":true}');
    ctx.type = 'application/json';
  },
  stringNoStatus: (ctx) => {
    ctx.set('x-extra', 'v');
    ctx.body = 'plain text';
  },
  typeBeforeString: (ctx) => {
    ctx.status = 429;
    ctx.set('retry-after', '3');
    ctx.type = 'application/json';
    ctx.body = JSON.stringify({ error: 'slow down' });
  },
  handlerResponds: (ctx) => {
    ctx.respond = false;
    ctx.res.writeHead(200, { 'content-type': 'text/event-stream' });
    ctx.res.end('data: [DONE]\n\n');
    ctx.status = 500; // too late: ignored by both
    ctx.set('x-late', '1');
  },
};

let current: Scenario = () => {};
const raw = createServer((req: IncomingMessage, res: ServerResponse) => {
  const ctx = new RawContext(req, res, '/x');
  current(ctx);
  ctx.send();
});
const koa = new Koa();
koa.use((ctx) => current(ctx as unknown as HttpContext));
const viaKoa = createServer(koa.callback());

async function call(server: ReturnType<typeof createServer>) {
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/x`, { method: 'POST', body: '{}' });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!['date', 'connection', 'keep-alive'].includes(name)) headers[name] = value;
  });
  return { status: res.status, headers, body: await res.text() };
}

afterAll(() => {
  raw.close();
  viaKoa.close();
});

// RawContext stands in for Koa's context on the exact LLM paths: what the client receives must be
// the same, whatever order the handler sets status, type and body in.
describe('RawContext answers exactly as Koa would', () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      current = scenario;
      const fromRaw = await call(raw);
      const fromKoa = await call(viaKoa);
      expect(fromRaw).toEqual(fromKoa);
    });
  }
});
