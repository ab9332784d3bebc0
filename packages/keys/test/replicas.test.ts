import { type Database, keys, teams } from '@warden/db';
import { createTestDatabase, openSecondConnection, type TestDatabase } from '@warden/db/testing';
import { needs } from '@warden/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKey,
  createKeyLookup,
  deleteKeyRows,
  deleteKeys,
  type KeyLookup,
  notifyKeyChange,
  setKeyBlocked,
  updateKey,
} from '../src/index.ts';
import { addKey, addTeam, logger, waitFor } from './helpers.ts';

const pg = needs('pg', 'key cache invalidation across replicas');

describe.skipIf(!pg.ok)('two replicas on one Postgres (TTL 10 minutes)', () => {
  let a: TestDatabase;
  let b: Database;
  let lookupA: KeyLookup;
  let lookupB: KeyLookup;
  beforeAll(async () => {
    a = await createTestDatabase({ logger });
    b = await openSecondConnection(a, logger);
    lookupA = await createKeyLookup({ database: a, ttlMs: 600_000, negativeTtlMs: 600_000, logger });
    lookupB = await createKeyLookup({ database: b, ttlMs: 600_000, negativeTtlMs: 600_000, logger });
    await addTeam(a, 'team-sa', { models: [] });
  });
  afterAll(async () => {
    await lookupA?.close();
    await lookupB?.close();
    await b?.close();
    await a?.cleanup();
  });

  it('a key blocked through one is refused by the other within one second', async () => {
    const { rawKey, row } = await addKey(a, {});
    expect((await lookupB.verify(rawKey)).valid).toBe(true);
    await a.db.transaction((tx) => setKeyBlocked(a, tx, row.token, true));
    const ms = await waitFor(async () => (await lookupB.verify(rawKey)).valid === false, 1000);
    expect(ms).toBeLessThan(1000);
    expect(await lookupB.verify(rawKey)).toEqual({ valid: false, code: 'blocked' });
  });

  it('a key created on one is found by the other despite a cached miss', async () => {
    const raw = 'sk-created-later-0123456789abcdefghij';
    expect((await lookupB.verify(raw)).valid).toBe(false);
    await a.db.transaction((tx) => createKey(a, tx, { input: {}, rawKey: raw, createdBy: 'master' }));
    await waitFor(async () => (await lookupB.verify(raw)).valid, 1000);
  });

  it('a deleted key is refused by the other within one second', async () => {
    const { rawKey, row } = await addKey(a, {});
    expect((await lookupB.verify(rawKey)).valid).toBe(true);
    await a.db.transaction((tx) => deleteKeys(a, tx, [row.token]));
    await waitFor(async () => (await lookupB.verify(rawKey)).valid === false, 1000);
    expect(await lookupB.verify(rawKey)).toEqual({ valid: false, code: 'not_found' });
  });

  it("a deleted team's service account is refused by the other within one second", async () => {
    const { rawKey } = await addKey(a, { teamId: 'team-sa', keyAlias: 'billing-bot' }, true);
    const r = await lookupB.verify(rawKey);
    expect(r.valid && r.key.ownerType).toBe('service_account');
    await a.db.transaction(async (tx) => {
      const rows = await tx.select().from(keys).where(eq(keys.teamId, 'team-sa'));
      await deleteKeyRows(a, tx, rows);
      await tx.delete(teams).where(eq(teams.teamId, 'team-sa'));
      await notifyKeyChange(a, tx, { kind: 'team', id: 'team-sa' });
    });
    await waitFor(async () => (await lookupB.verify(rawKey)).valid === false, 1000);
  });

  it('a changed model list is seen by the other within one second', async () => {
    const { rawKey, row } = await addKey(a, { models: ['gpt-4o'] });
    const before = await lookupB.verify(rawKey);
    expect(before.valid && before.key.models).toEqual(['gpt-4o']);
    await a.db.transaction((tx) => updateKey(a, tx, row.token, { models: ['claude-3'] }));
    await waitFor(async () => {
      const r = await lookupB.verify(rawKey);
      return r.valid && r.key.models[0] === 'claude-3';
    }, 1000);
  });

  it('only the writing schema is invalidated: a cached hit on B stays query-free', async () => {
    const { rawKey } = await addKey(a, {});
    await new Promise((r) => setTimeout(r, 200)); // let the creation NOTIFY arrive first
    await lookupB.verify(rawKey);
    const q = b.queryCount();
    await lookupB.verify(rawKey);
    expect(b.queryCount()).toBe(q);
  });
});
