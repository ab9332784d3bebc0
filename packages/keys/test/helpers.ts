import { createMemoryLogger } from '@warden/core';
import { teams, users, type Database } from '@warden/db';
import { createKey, type KeyInput } from '../src/index.ts';

export const logger = createMemoryLogger();

export async function addTeam(
  database: Database,
  teamId: string,
  values: Partial<typeof teams.$inferInsert> = {},
) {
  await database.db.insert(teams).values({ teamId, ...values });
}

export async function addUser(
  database: Database,
  userId: string,
  values: Partial<typeof users.$inferInsert> = {},
) {
  await database.db.insert(users).values({ userId, ...values });
}

export async function addKey(database: Database, input: KeyInput = {}, serviceAccount = false) {
  const created = await database.db.transaction((tx) =>
    createKey(database, tx, { input, serviceAccount, createdBy: 'master' }),
  );
  // On Postgres the creation NOTIFY arrives asynchronously and would evict an entry cached right
  // after; let it land so "cached" assertions are about the cache, not the race.
  if (database.kind === 'postgres') await new Promise((r) => setTimeout(r, 100));
  return created;
}

export async function waitFor(check: () => Promise<boolean> | boolean, ms = 1000): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}
