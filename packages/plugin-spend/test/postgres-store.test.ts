import { keys, spendLogs, teams, users } from '@warden/db';
import type { TestDatabase } from '@warden/db/testing';
import { createTestDatabase } from '@warden/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresSpendSink } from '../src/postgres-sink.ts';
import { PostgresSpendStore } from '../src/postgres-store.ts';
import { makeRow } from './make-row.ts';

let database: TestDatabase;
const KEY = 'a'.repeat(64);
const KEY2 = 'b'.repeat(64);

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.insert(teams).values([{ teamId: 'team-a' }, { teamId: 'team-b' }]);
  await database.db.insert(users).values([{ userId: 'user-a' }]);
  await database.db.insert(keys).values([
    { token: KEY, keyName: 'sk-...aaaa', teamId: 'team-a', userId: 'user-a' },
    { token: KEY2, keyName: 'sk-...bbbb', teamId: 'team-b' },
  ]);
});
afterAll(() => database?.cleanup());

async function totals() {
  const k = await database.db.select({ t: keys.token, s: keys.spendMicros }).from(keys);
  const t = await database.db.select({ t: teams.teamId, s: teams.spendMicros }).from(teams);
  const u = await database.db.select({ t: users.userId, s: users.spendMicros }).from(users);
  return Object.fromEntries([...k, ...t, ...u].map((r) => [r.t, r.s]));
}

async function reset() {
  await database.db.delete(spendLogs);
  for (const table of ['keys', 'teams', 'users'])
    await database.db.execute(sql.raw(`update ${table} set spend_micros = 0`));
}

describe(`PostgresSpendStore (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('inserts a batch and adds its cost to key, team and user totals in one go', async () => {
    await reset();
    const store = new PostgresSpendStore(database);
    const rows = [
      makeRow({
        keyHash: KEY,
        teamId: 'team-a',
        userId: 'user-a',
        costMicros: 1_500_000,
        metadata: { p: 1 },
      }),
      makeRow({ keyHash: KEY, teamId: 'team-a', userId: 'user-a', costMicros: 250 }),
      makeRow({ keyHash: KEY2, teamId: 'team-b', userId: null, costMicros: 40 }),
    ];
    expect(await store.write(rows)).toBe(3);
    expect(await totals()).toMatchObject({
      [KEY]: 1_500_250,
      [KEY2]: 40,
      'team-a': 1_500_250,
      'team-b': 40,
      'user-a': 1_500_250,
    });
    const [stored] = await database.db.select().from(spendLogs).where(eq(spendLogs.id, rows[0]!.id));
    expect(stored).toMatchObject({
      keyHash: KEY,
      costMicros: 1_500_000,
      metadata: { p: 1 },
      status: 200,
      ttfbMs: 3,
    });
    expect(stored!.startedAt.getTime()).toBe(rows[0]!.startedAt);
  });

  it('is idempotent: the same batch twice gives one row each and totals counted once', async () => {
    await reset();
    const store = new PostgresSpendStore(database);
    const rows = [makeRow({ keyHash: KEY, teamId: 'team-a', userId: 'user-a', costMicros: 100 })];
    expect(await store.write(rows)).toBe(1);
    expect(await store.write(rows)).toBe(0);
    const count = await database.db.$count(spendLogs);
    expect(count).toBe(1);
    expect(await totals()).toMatchObject({ [KEY]: 100, 'team-a': 100, 'user-a': 100 });
  });

  it('updates totals from the rows actually inserted only (a mixed replayed batch)', async () => {
    await reset();
    const store = new PostgresSpendStore(database);
    const old = makeRow({ keyHash: KEY, teamId: 'team-a', costMicros: 1000 });
    await store.write([old]);
    const fresh = makeRow({ keyHash: KEY, teamId: 'team-a', costMicros: 7 });
    expect(await store.write([old, fresh])).toBe(1);
    expect(await totals()).toMatchObject({ [KEY]: 1007, 'team-a': 1007 });
  });

  it('writes a batch larger than one statement can bind (chunked inside the transaction)', async () => {
    await reset();
    const store = new PostgresSpendStore(database);
    const rows = Array.from({ length: 2_800 }, () => makeRow({ keyHash: KEY, costMicros: 2 }));
    expect(await store.write(rows)).toBe(2_800);
    expect(await database.db.$count(spendLogs)).toBe(2_800);
    expect((await totals())[KEY]).toBe(5_600);
  });

  it('writes a batch of up to 1000 rows as one insert plus one update per total, on PGlite too', async () => {
    await reset();
    const store = new PostgresSpendStore(database);
    const rows = Array.from({ length: 500 }, () =>
      makeRow({ keyHash: KEY, teamId: 'team-a', userId: 'user-a', costMicros: 1 }),
    );
    const before = database.queryCount();
    expect(await store.write(rows)).toBe(500);
    expect(database.queryCount() - before).toBe(4);
    expect(await totals()).toMatchObject({ [KEY]: 500, 'team-a': 500, 'user-a': 500 });
  });

  it('rolls back the whole batch when a row is refused (nothing half-counted)', async () => {
    await reset();
    const store = new PostgresSpendStore(database);
    const good = makeRow({ keyHash: KEY, costMicros: 5 });
    const bad = makeRow({ keyHash: KEY, costMicros: 5, promptTokens: 2 ** 40 }); // integer overflow: 22003
    await expect(store.write([good, bad])).rejects.toThrow();
    expect(await database.db.$count(spendLogs)).toBe(0);
    expect((await totals())[KEY]).toBe(0);
  });

  it('the sink isolates the refused row and writes the rest, counting each once', async () => {
    await reset();
    const sink = createPostgresSpendSink({ database, batchSize: 100 });
    const good = Array.from({ length: 20 }, () =>
      makeRow({ keyHash: KEY2, teamId: 'team-b', costMicros: 3 }),
    );
    sink.push(makeRow({ keyHash: KEY2, promptTokens: 2 ** 40 }));
    for (const row of good) sink.push(row);
    await sink.flush();
    expect(sink.stats()).toMatchObject({ written: 20, failed: 1, queued: 0 });
    expect(await database.db.$count(spendLogs)).toBe(20);
    expect(await totals()).toMatchObject({ [KEY2]: 60, 'team-b': 60 });
    await sink.close();
  });

  it('pushes become visible within the flush interval without an explicit flush', async () => {
    await reset();
    const sink = createPostgresSpendSink({ database, flushIntervalMs: 100 });
    const started = Date.now();
    sink.push(makeRow({ keyHash: KEY, costMicros: 9 }));
    while ((await totals())[KEY] !== 9) {
      if (Date.now() - started > 2000) throw new Error('not visible within 2 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    await sink.close();
  });
});
