import { keys, teams, users } from '@warden/db';
import { createTestDatabase, type TestDatabase } from '@warden/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKeyLookup,
  hashKey,
  type KeyLookup,
  notifyKeyChange,
  NO_MODELS,
  setKeyBlocked,
  updateKey,
} from '../src/index.ts';
import { addKey, addTeam, addUser, logger, waitFor } from './helpers.ts';

describe('key lookup', () => {
  let database: TestDatabase;
  let lookup: KeyLookup;
  beforeAll(async () => {
    database = await createTestDatabase();
    lookup = await createKeyLookup({ database, ttlMs: 600_000, logger });
    await addTeam(database, 'team-a', {
      models: ['gpt-4o', 'claude-*'],
      rpmLimit: 10,
      maxBudgetMicros: 5_000_000,
    });
    await addUser(database, 'admin-user', { userRole: 'proxy_admin' });
  });
  afterAll(async () => {
    await lookup?.close();
    await database?.cleanup();
  });

  it('builds the key context with key, team and user scopes', async () => {
    const { rawKey } = await addKey(database, {
      teamId: 'team-a',
      userId: 'admin-user',
      models: ['gpt-*'],
      maxBudgetMicros: 1_000_000,
      aliases: { fast: 'gpt-4o' },
    });
    const r = await lookup.verify(rawKey);
    expect(r.valid).toBe(true);
    if (!r.valid) return;
    expect(r.key).toMatchObject({
      hash: hashKey(rawKey),
      ownerType: 'user',
      isAdmin: true,
      models: ['gpt-4o'],
      aliases: { fast: 'gpt-4o' },
      keyType: 'default',
    });
    expect(r.key.scopes.map((s) => s.kind)).toEqual(['key', 'team', 'user']);
    expect(r.key.scopes[0]).toMatchObject({ maxBudgetMicros: 1_000_000, spendMicros: 0 });
    expect(r.key.scopes[1]).toMatchObject({ rpmLimit: 10, maxBudgetMicros: 5_000_000 });
  });

  it('a cached key costs no database query', async () => {
    const { rawKey } = await addKey(database, { keyAlias: 'cached' });
    expect((await lookup.verify(rawKey)).valid).toBe(true);
    const before = database.queryCount();
    for (let i = 0; i < 20; i++) expect((await lookup.verify(rawKey)).valid).toBe(true);
    expect(database.queryCount()).toBe(before);
  });

  it('concurrent misses share one query', async () => {
    const { rawKey } = await addKey(database, {});
    await waitFor(async () => true);
    lookup.invalidateAll();
    const before = database.queryCount();
    const results = await Promise.all(Array.from({ length: 10 }, () => lookup.verify(rawKey)));
    expect(results.every((r) => r.valid)).toBe(true);
    expect(database.queryCount()).toBe(before + 1);
  });

  it('refuses hashes, unknown keys, and caches the miss until the key is created', async () => {
    const { rawKey } = await addKey(database, {});
    expect(await lookup.verify(hashKey(rawKey))).toEqual({ valid: false, code: 'not_found' });
    expect(await lookup.verify('sk-unknown-key-xyz')).toEqual({ valid: false, code: 'not_found' });
    const before = database.queryCount();
    expect(await lookup.verify('sk-unknown-key-xyz')).toEqual({ valid: false, code: 'not_found' });
    expect(database.queryCount()).toBe(before);
  });

  it('checks expiry on every verify, even cached', async () => {
    const { rawKey } = await addKey(database, { expires: new Date(Date.now() + 300) });
    expect((await lookup.verify(rawKey)).valid).toBe(true);
    await new Promise((r) => setTimeout(r, 350));
    const before = database.queryCount();
    expect(await lookup.verify(rawKey)).toEqual({ valid: false, code: 'expired' });
    expect(database.queryCount()).toBe(before);
  });

  it('a block through the verbs reaches the cache via NOTIFY', async () => {
    const { rawKey, row } = await addKey(database, {});
    expect((await lookup.verify(rawKey)).valid).toBe(true);
    await database.db.transaction((tx) => setKeyBlocked(database, tx, row.token, true));
    await waitFor(async () => (await lookup.verify(rawKey)).valid === false);
    expect(await lookup.verify(rawKey)).toEqual({ valid: false, code: 'blocked' });
  });

  it('a team or user change drops everything; blocked team and user refuse', async () => {
    await addTeam(database, 'team-b');
    await addUser(database, 'bob');
    const t = await addKey(database, { teamId: 'team-b' });
    const u = await addKey(database, { userId: 'bob' });
    expect((await lookup.verify(t.rawKey)).valid).toBe(true);
    expect((await lookup.verify(u.rawKey)).valid).toBe(true);
    await database.db.transaction(async (tx) => {
      await tx.update(teams).set({ blocked: true }).where(eq(teams.teamId, 'team-b'));
      await tx.update(users).set({ blocked: true }).where(eq(users.userId, 'bob'));
      await notifyKeyChange(database, tx, { kind: 'team', id: 'team-b' });
    });
    await waitFor(async () => (await lookup.verify(t.rawKey)).valid === false);
    expect(await lookup.verify(t.rawKey)).toEqual({ valid: false, code: 'team_blocked' });
    expect(await lookup.verify(u.rawKey)).toEqual({ valid: false, code: 'user_blocked' });
  });

  it('a model list that no longer intersects allows nothing', async () => {
    const { rawKey, row } = await addKey(database, { teamId: 'team-a', models: ['gpt-4o'] });
    expect((await lookup.verify(rawKey)).valid).toBe(true);
    await database.db.transaction((tx) => updateKey(database, tx, row.token, { models: ['mistral'] }));
    await waitFor(async () => {
      const r = await lookup.verify(rawKey);
      return r.valid && r.key.models[0] === NO_MODELS;
    });
  });

  it('bounds the cache', async () => {
    const small = await createKeyLookup({ database, maxEntries: 3, logger });
    for (let i = 0; i < 6; i++) await small.verify(`sk-miss-${i}`);
    expect(small.size()).toBe(3);
    await small.close();
  });

  it('never logs a raw key', async () => {
    const rows = await database.db.select({ name: keys.keyName }).from(keys);
    expect(rows.length).toBeGreaterThan(0);
    expect(logger.lines.join('\n')).not.toMatch(/sk-[A-Za-z0-9_-]{20,}/);
  });
});
