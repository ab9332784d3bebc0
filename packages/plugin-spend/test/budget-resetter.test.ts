import { keys, teams, users } from '@warden/db';
import type { TestDatabase } from '@warden/db/testing';
import { createTestDatabase, openSecondConnection } from '@warden/db/testing';
import { KEYS_CHANNEL } from '@warden/keys';
import { needs } from '@warden/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBudgetResetter } from '../src/budget-resetter.ts';
import { until } from './make-row.ts';

let database: TestDatabase;
const now = new Date('2026-11-29T23:00:00.000Z');
const past = new Date('2026-11-29T22:00:00.000Z');
const future = new Date('2026-12-01T00:00:00.000Z');

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.insert(teams).values([
    { teamId: 'monthly', budgetDuration: '1mo', budgetResetAt: past, spendMicros: 900 },
    { teamId: 'not-due', budgetDuration: '1mo', budgetResetAt: future, spendMicros: 800 },
  ]);
  await database.db
    .insert(users)
    .values([{ userId: 'u-30s', budgetDuration: '30s', budgetResetAt: past, spendMicros: 5 }]);
  await database.db.insert(keys).values([
    {
      token: 'k-daily',
      keyName: 'sk-...1',
      teamId: 'monthly',
      budgetDuration: '1d',
      budgetResetAt: now,
      spendMicros: 700,
    },
    // LiteLLM's rule: 7d resets next Monday at midnight (2026-11-29 is a Sunday).
    { token: 'k-weekly', keyName: 'sk-...3', budgetDuration: '7d', budgetResetAt: past, spendMicros: 1 },
    { token: 'k-none', keyName: 'sk-...2', budgetDuration: null, budgetResetAt: null, spendMicros: 600 },
  ]);
});
afterAll(() => database?.cleanup());

describe(`budget resetter (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('zeroes due budgets, advances them to the next calendar boundary and notifies, once', async () => {
    const messages: string[] = [];
    const unlisten = await database.listen(KEYS_CHANNEL, (payload) => messages.push(payload));
    const resetter = startBudgetResetter({ database, intervalMs: 60_000, now: () => now });
    expect(await resetter.runOnce()).toEqual({ keys: 2, teams: 1, users: 1 });

    const k = Object.fromEntries((await database.db.select().from(keys)).map((r) => [r.token, r]));
    const t = Object.fromEntries((await database.db.select().from(teams)).map((r) => [r.teamId, r]));
    const [u] = await database.db.select().from(users);
    expect(k['k-daily']).toMatchObject({
      spendMicros: 0,
      budgetResetAt: new Date('2026-11-30T00:00:00.000Z'),
    });
    expect(k['k-weekly']).toMatchObject({
      spendMicros: 0,
      budgetResetAt: new Date('2026-11-30T00:00:00.000Z'),
    });
    expect(k['k-none']).toMatchObject({ spendMicros: 600, budgetResetAt: null });
    expect(t.monthly).toMatchObject({ spendMicros: 0, budgetResetAt: new Date('2026-12-01T00:00:00.000Z') });
    expect(t['not-due']).toMatchObject({ spendMicros: 800, budgetResetAt: future });
    expect(u).toMatchObject({ spendMicros: 0, budgetResetAt: new Date('2026-11-29T23:00:30.000Z') });

    await until(() => messages.length >= 4);
    expect(messages.map((m) => JSON.parse(m))).toEqual(
      expect.arrayContaining([
        { kind: 'key', id: 'k-daily' },
        { kind: 'key', id: 'k-weekly' },
        { kind: 'team', id: 'monthly' },
        { kind: 'user', id: 'u-30s' },
      ]),
    );
    // A second pass at the same instant finds nothing due: a budget resets once per period.
    expect(await resetter.runOnce()).toEqual({ keys: 0, teams: 0, users: 0 });
    await resetter.stop();
    await unlisten();
  });
});

const pg = needs('pg', 'budget resetter on two replicas');
describe.skipIf(!pg.ok)('budget resetter on two replicas', () => {
  it('two replicas passing at once reset a due budget exactly once', async () => {
    const second = await openSecondConnection(database);
    try {
      await database.db.insert(teams).values(
        Array.from({ length: 50 }, (_, i) => ({
          teamId: `race-${i}`,
          budgetDuration: '1d',
          budgetResetAt: past,
          spendMicros: 1,
        })),
      );
      const a = startBudgetResetter({ database, intervalMs: 60_000, now: () => now });
      const b = startBudgetResetter({ database: second, intervalMs: 60_000, now: () => now });
      const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
      expect(ra.teams + rb.teams).toBe(50);
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      await second.close();
    }
  });
});
