import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, keys, spendLogs } from '@warden/db';
import type { Database } from '@warden/db';
import type { TestDatabase } from '@warden/db/testing';
import { createTestDatabase } from '@warden/db/testing';
import type { TcpProxy } from '@warden/testkit';
import { needs, startTcpProxy } from '@warden/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresSpendSink } from '../src/postgres-sink.ts';
import { makeRow, until } from './make-row.ts';

const pg = needs('pg', 'spend writer through a cut connection');
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const KEY = 'c'.repeat(64);

describe.skipIf(!pg.ok)('spend writer while the database goes away (Postgres through a TCP proxy)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let proxied: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.insert(keys).values({ token: KEY, keyName: 'sk-...cccc' });
    const target = new URL(pg.url);
    proxy = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
    const url = new URL(pg.url);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    proxied = await createDatabase({ url: url.toString(), schema: database.schema, logger: silent });
  });
  afterAll(async () => {
    await proxied?.close().catch(() => {});
    await proxy?.close();
    await database?.cleanup();
  });

  it('keeps serving pushes during a cut and writes every row exactly once after restore', async () => {
    const sink = createPostgresSpendSink({
      database: proxied,
      flushIntervalMs: 50,
      batchSize: 50,
      retryBaseMs: 50,
      retryMaxMs: 300,
      writeTimeoutMs: 2000,
      logger: silent,
    });
    const ids: string[] = [];
    let sawDown = false;
    let pushMs = 0;
    const pushFor = async (ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const row = makeRow({ keyHash: KEY, costMicros: 3 });
        const t0 = performance.now();
        sink.push(row);
        pushMs += performance.now() - t0;
        ids.push(row.id);
        if (!sink.stats().healthy) sawDown = true;
        await new Promise((r) => setTimeout(r, 3));
      }
    };
    try {
      await pushFor(500);
      proxy.cut();
      await pushFor(2500);
      expect(sink.stats().queued).toBeGreaterThan(0);
    } finally {
      proxy.restore();
    }
    await pushFor(500);
    await until(() => sink.stats().queued === 0 && sink.stats().healthy, 20_000);
    await sink.close();

    // push never waits on the database, cut or not: hundreds of pushes cost well under a second
    // in total even on a loaded machine (a blocking push would cost at least a retry delay each).
    expect(ids.length).toBeGreaterThan(200);
    expect(pushMs).toBeLessThan(500);
    expect(sawDown).toBe(true);
    const stored = await database.db.select({ id: spendLogs.id }).from(spendLogs);
    expect(stored.length).toBe(ids.length);
    expect(new Set(stored.map((r) => r.id))).toEqual(new Set(ids));
    const [key] = await database.db.select({ s: keys.spendMicros }).from(keys).where(eq(keys.token, KEY));
    expect(key!.s).toBe(3 * ids.length);
    expect(sink.stats()).toMatchObject({ failed: 0, spilled: 0 });
  });

  it('close with the database cut spills to disk; the next start replays the file once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'warden-spend-pg-'));
    const before = await database.db.$count(spendLogs);
    const sink = createPostgresSpendSink({
      database: proxied,
      dataDir,
      retryBaseMs: 50,
      writeTimeoutMs: 1000,
      logger: silent,
    });
    const rows = Array.from({ length: 40 }, () => makeRow({ keyHash: KEY, costMicros: 0 }));
    proxy.cut();
    try {
      for (const row of rows) sink.push(row);
      await sink.close({ timeoutMs: 1500 });
    } finally {
      proxy.restore();
    }
    expect(sink.stats()).toMatchObject({ spilled: 40, failed: 0 });
    expect(readdirSync(dataDir)).toHaveLength(1);

    const next = createPostgresSpendSink({ database, dataDir, logger: silent });
    await until(() => next.stats().pendingSpillFiles === 0, 10_000);
    await next.close();
    expect(next.stats()).toMatchObject({ replayed: 40, failed: 0, queued: 0 });
    expect(await database.db.$count(spendLogs)).toBe(before + 40);
    expect(readdirSync(dataDir)).toHaveLength(0);
  });
});
