import type { AddressInfo } from 'node:net';
import { createMemoryLogger, toOpenAIError } from '@warden/core';
import { createTestDatabase, type TestDatabase } from '@warden/db/testing';
import { createKeyLookup, type KeyLookup } from '@warden/keys';
import Koa from 'koa';
import { createAdminRouter } from '../src/index.ts';

export const MASTER = 'sk-master-test-key-0123456789';

export interface Harness {
  /** http://127.0.0.1:PORT of the admin app. */
  base: string;
  database: TestDatabase;
  lookup: KeyLookup;
  logger: ReturnType<typeof createMemoryLogger>;
  /** Every response body text seen so far (for the "raw keys never returned" checks). */
  responses: string[];
  call(
    method: string,
    path: string,
    body?: unknown,
    key?: string | null,
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** The router in a tiny Koa app whose outermost middleware maps errors like the gateway does. */
export async function startHarness(): Promise<Harness> {
  const logger = createMemoryLogger();
  const database = await createTestDatabase({ logger });
  const lookup = await createKeyLookup({ database, logger, ttlMs: 600_000 });
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const mapped = toOpenAIError(err, 'test');
      if (mapped.status === 500) logger.error('unhandled', { err });
      ctx.status = mapped.status;
      ctx.body = mapped.body;
    }
  });
  app.use(createAdminRouter({ database, keys: lookup, masterKey: MASTER, logger }).routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const responses: string[] = [];
  return {
    base,
    database,
    lookup,
    logger,
    responses,
    async call(method, path, body, key = MASTER) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      const res = await fetch(base + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      responses.push(text);
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await new Promise((r) => server.close(r));
      await lookup.close();
      await database.cleanup();
    },
  };
}
