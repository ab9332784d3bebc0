import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryLogger, toOpenAIError } from '@warden/core';
import { users } from '@warden/db';
import type { TestDatabase } from '@warden/db/testing';
import { createTestDatabase } from '@warden/db/testing';
import type { KeyLookup } from '@warden/keys';
import { createKey, createKeyLookup } from '@warden/keys';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSpendStore } from '../src/postgres-store.ts';
import { createSpendRouter } from '../src/spend-router.ts';
import { makeRow } from './make-row.ts';

const RAW_A = 'sk-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const KEY_A = createHash('sha256').update(RAW_A).digest('hex');
const KEY_B = 'b'.repeat(64);
const day1 = Date.parse('2026-11-01T10:00:00Z');
const day2 = Date.parse('2026-11-02T23:59:00Z');

const MASTER = 'sk-master-spend-test-0123456789';
const USER_KEY = 'sk-user-spend-test-0123456789abcdefghijklmn';
const ADMIN_USER_KEY = 'sk-admin-spend-test-0123456789abcdefghijklm';

let database: TestDatabase;
let lookup: KeyLookup;
let server: Server;
let base: string;

beforeAll(async () => {
  const logger = createMemoryLogger();
  database = await createTestDatabase({ logger });
  await database.db.insert(users).values([
    { userId: 'plain', userRole: 'internal_user' },
    { userId: 'boss', userRole: 'proxy_admin' },
  ]);
  await database.db.transaction(async (tx) => {
    await createKey(database, tx, { input: { userId: 'plain' }, rawKey: USER_KEY, createdBy: 'test' });
    await createKey(database, tx, { input: { userId: 'boss' }, rawKey: ADMIN_USER_KEY, createdBy: 'test' });
  });
  lookup = await createKeyLookup({ database, logger });
  await new PostgresSpendStore(database).write([
    makeRow({
      keyHash: KEY_A,
      teamId: 't1',
      model: 'gpt-4o',
      costMicros: 1_000_000,
      totalTokens: 10,
      startedAt: day1,
    }),
    makeRow({
      keyHash: KEY_A,
      teamId: 't1',
      model: 'gpt-4o',
      costMicros: 500_000,
      totalTokens: 5,
      startedAt: day2,
    }),
    makeRow({
      keyHash: KEY_B,
      teamId: 't2',
      userId: 'u2',
      model: 'claude',
      costMicros: 250_000,
      totalTokens: 20,
      startedAt: day2,
    }),
    makeRow({
      keyHash: KEY_B,
      teamId: 't2',
      userId: 'u2',
      model: 'claude',
      costMicros: 1,
      totalTokens: 1,
      startedAt: day2 + 30_000,
    }),
  ]);
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const mapped = toOpenAIError(err, 'test');
      ctx.status = mapped.status;
      ctx.body = mapped.body;
    }
  });
  const router = createSpendRouter({ database, auth: { keys: lookup, masterKey: MASTER }, maxBudget: 100 });
  app.use(router.routes()).use(router.allowedMethods());
  server = createServer(app.callback()).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await lookup?.close();
  await database?.cleanup();
});

async function get(path: string, key = MASTER): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, body: await res.json() };
}

describe(`spend routes (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('are admin only: no key 401, unknown key 401, a non-admin key 403, on every route', async () => {
    for (const path of ['/spend/logs', '/spend/report', '/global/spend']) {
      expect((await get(path, '')).status).toBe(401);
      expect((await get(path, 'sk-not-a-known-key-0123456789abcdef')).status).toBe(401);
      const denied = await get(path, USER_KEY);
      expect(denied.status).toBe(403);
      expect(denied.body.error.type).toBe('permission_error');
      expect((await get(path)).status).toBe(200); // master key
      expect((await get(path, ADMIN_USER_KEY)).status).toBe(200); // a proxy_admin user's key
    }
  });

  it('accepts an adminAuth middleware built by the app, still requiring an admin', async () => {
    const { adminAuth } = await import('@warden/admin-api');
    const router = createSpendRouter({ database, auth: adminAuth({ keys: lookup, masterKey: MASTER }) });
    const app = new Koa();
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        const mapped = toOpenAIError(err, 'test');
        ctx.status = mapped.status;
        ctx.body = mapped.body;
      }
    });
    app.use(router.routes());
    const other = createServer(app.callback()).listen(0, '127.0.0.1');
    await new Promise((r) => other.once('listening', r));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}/global/spend`;
    try {
      const denied = await fetch(url, { headers: { authorization: `Bearer ${USER_KEY}` } });
      expect(denied.status).toBe(403);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${MASTER}` } });
      expect(ok.status).toBe(200);
    } finally {
      other.close();
    }
  });

  it('/spend/logs filters by raw key or hash, dates, team and user, and pages in SQL', async () => {
    const byRaw = await get(`/spend/logs?api_key=${RAW_A}`);
    expect(byRaw.body.total).toBe(2);
    expect(byRaw.body.data.map((r: any) => r.spend)).toEqual([0.5, 1]); // newest first, dollars
    expect(byRaw.body.data[0]).toMatchObject({
      api_key: KEY_A,
      team_id: 't1',
      model: 'gpt-4o',
      cost_micros: 500_000,
    });
    expect((await get(`/spend/logs?api_key=${KEY_A}`)).body.total).toBe(2);

    const p1 = await get('/spend/logs?size=3&page=1');
    const p2 = await get('/spend/logs?size=3&page=2');
    expect(p1.body).toMatchObject({ total: 4, page: 1, page_size: 3, total_pages: 2 });
    expect(p1.body.data).toHaveLength(3);
    expect(p2.body.data).toHaveLength(1);
    expect(new Set([...p1.body.data, ...p2.body.data].map((r: any) => r.id)).size).toBe(4);

    // A date-only end_date includes that whole day.
    expect((await get('/spend/logs?start_date=2026-11-02&end_date=2026-11-02')).body.total).toBe(3);
    expect((await get('/spend/logs?end_date=2026-11-01')).body.total).toBe(1);
    expect((await get('/spend/logs?team_id=t2&user_id=u2')).body.total).toBe(2);
    expect((await get('/spend/logs?user_id=nobody')).body.data).toEqual([]);
  });

  it('/spend/report groups in SQL by day, key, team and model', async () => {
    const byDay = await get('/spend/report?group_by=day');
    expect(byDay.body.data).toEqual([
      {
        day: '2026-11-01',
        spend: 1,
        spend_micros: 1_000_000,
        prompt_tokens: 10,
        completion_tokens: 5,
        total_tokens: 10,
        requests: 1,
      },
      {
        day: '2026-11-02',
        spend: 0.750001,
        spend_micros: 750_001,
        prompt_tokens: 30,
        completion_tokens: 15,
        total_tokens: 26,
        requests: 3,
      },
    ]);
    expect(byDay.body.total_spend).toBe(1.750001);

    const byTeam = await get('/spend/report?group_by=team&start_date=2026-11-02');
    expect(byTeam.body.data.map((r: any) => [r.team_id, r.spend_micros, r.requests])).toEqual([
      ['t1', 500_000, 1],
      ['t2', 250_001, 2],
    ]);
    const byModel = await get('/spend/report?group_by=model');
    expect(byModel.body.data.map((r: any) => [r.model, r.total_tokens])).toEqual([
      ['gpt-4o', 15],
      ['claude', 21],
    ]);
    const byKey = await get('/spend/report?group_by=key');
    expect(byKey.body.data.map((r: any) => r.api_key)).toEqual([KEY_A, KEY_B]);
  });

  it('/global/spend answers like LiteLLM', async () => {
    expect((await get('/global/spend')).body).toEqual({ spend: 1.750001, max_budget: 100 });
  });

  it('refuses bad parameters with 400 naming the param', async () => {
    for (const [path, param] of [
      ['/spend/report?group_by=week', 'group_by'],
      ['/spend/logs?start_date=yesterday', 'start_date'],
      ['/spend/logs?size=0', 'size'],
      ['/spend/logs?api_key=nope', 'api_key'],
    ] as const) {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(res.body.error.param).toBe(param);
    }
  });
});
