import { needs } from '@warden/testkit';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, spendLogs, teams } from '../src/index.ts';
import { createTestDatabase, openSecondConnection, type TestDatabase } from '../src/testing/index.ts';

const waitFor = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.cleanup());

  it('is migrated, pings and counts queries', async () => {
    expect(await database.ping()).toBe(true);
    const before = database.queryCount();
    await database.db.insert(teams).values({ teamId: 'team-a', models: ['gpt-4o'] });
    await database.db
      .insert(keys)
      .values({ token: 'h1', keyName: 'sk-...abcd', teamId: 'team-a', maxBudgetMicros: 5_000_000 });
    const [row] = await database.db.select().from(keys).where(eq(keys.token, 'h1'));
    expect(row).toMatchObject({
      keyType: 'default',
      spendMicros: 0,
      blocked: false,
      models: [],
      metadata: {},
      maxBudgetMicros: 5_000_000,
    });
    expect(database.queryCount()).toBe(before + 3);
    await database.migrate(); // idempotent
  });

  it('refuses a key for a team that does not exist (foreign key)', async () => {
    await expect(
      database.db.insert(keys).values({ token: 'h2', keyName: 'x', teamId: 'nope' }),
    ).rejects.toThrow();
  });

  it('stores spend_logs rows with the contract column names', async () => {
    await database.db.insert(spendLogs).values({
      id: '0190a5c4-0000-7000-8000-000000000001',
      requestId: 'req-1',
      keyHash: 'h1',
      model: 'gpt-4o',
      status: 200,
      costMicros: 1234,
      startedAt: new Date(),
    });
    const [row] = await database.db.select().from(spendLogs);
    expect(row).toMatchObject({ requestId: 'req-1', costMicros: 1234, usageEstimated: false, ttfbMs: null });
  });

  it('delivers NOTIFY sent inside a transaction only after commit, on a schema-scoped channel', async () => {
    const got: string[] = [];
    const unlisten = await database.listen('warden_test', (p) => got.push(p));
    expect(database.channelName('warden_test')).toContain('warden_test');
    await database.db.transaction(async (tx) => {
      await database.notify('warden_test', 'inside', tx);
      await new Promise((r) => setTimeout(r, 100));
      expect(got).toEqual([]);
    });
    await waitFor(() => got.length === 1);
    expect(got).toEqual(['inside']);
    await expect(
      database.db.transaction(async (tx) => {
        await database.notify('warden_test', 'rolled-back', tx);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await database.notify('warden_test', 'after');
    await waitFor(() => got.length === 2);
    expect(got).toEqual(['inside', 'after']);
    await unlisten();
  });
});

const pg = needs('pg', 'db listener on Postgres');
describe.skipIf(!pg.ok)('postgres listener', () => {
  it('isolates channels per schema and survives a killed listener connection', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    const a2 = await openSecondConnection(a);
    try {
      const gotA: string[] = [];
      const gotB: string[] = [];
      let resets = 0;
      await a.listen(
        'inv',
        (p) => gotA.push(p),
        () => resets++,
      );
      await b.listen('inv', (p) => gotB.push(p));
      await a2.notify('inv', 'one');
      await waitFor(() => gotA.length === 1);
      await new Promise((r) => setTimeout(r, 100));
      expect(gotB).toEqual([]);

      const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${`warden-listen-${a.schema}`}`;
      await admin.end();
      await waitFor(() => resets >= 2, 5000); // once on loss, once when re-listened
      await a2.notify('inv', 'two');
      await waitFor(() => gotA.length === 2, 3000);
      expect(gotA).toEqual(['one', 'two']);
    } finally {
      await a2.close();
      await a.cleanup();
      await b.cleanup();
    }
  });
});
