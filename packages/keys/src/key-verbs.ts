import { randomBytes } from 'node:crypto';
import { BadRequestError, NotFoundError } from '@warden/core';
import { type Database, type KeyRow, keys, type NewKeyRow, teams, type Tx } from '@warden/db';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { isBudgetDuration, nextBudgetReset } from './budget-duration.ts';
import { isUniqueViolation } from './db-errors.ts';
import { notifyKeyChange } from './invalidation.ts';
import { displayKeyName, generateRawKey, hashKey, isRawKey } from './key-string.ts';
import { serviceAccountIdOf } from './owner.ts';

/** Key fields in storage units (micro-dollars, Date); the admin API converts from LiteLLM's wire shape. */
export interface KeyInput {
  keyAlias?: string | null;
  userId?: string | null;
  teamId?: string | null;
  keyType?: string;
  models?: string[];
  aliases?: Record<string, string>;
  maxBudgetMicros?: number | null;
  budgetDuration?: string | null;
  spendMicros?: number;
  rpmLimit?: number | null;
  tpmLimit?: number | null;
  maxParallelRequests?: number | null;
  expires?: Date | null;
  blocked?: boolean;
  metadata?: Record<string, unknown>;
  enforcedParams?: string[];
  allowedRoutes?: string[];
}

export const SERVICE_ACCOUNT_TEAM_REQUIRED =
  'team_id is required for service account keys. Please specify `team_id` in the request body.';

async function assertTeamExists(tx: Tx, teamId: string): Promise<void> {
  const [team] = await tx.select({ id: teams.teamId }).from(teams).where(eq(teams.teamId, teamId)).limit(1);
  if (!team) {
    throw new BadRequestError(
      `team_id does not exist in the database: ${teamId}. Create the team first with /team/new.`,
      'team_id',
    );
  }
}

async function assertAliasFree(tx: Tx, alias: string, exceptToken?: string): Promise<void> {
  const where = exceptToken
    ? and(eq(keys.keyAlias, alias), ne(keys.token, exceptToken))
    : eq(keys.keyAlias, alias);
  const [taken] = await tx.select({ token: keys.token }).from(keys).where(where).limit(1);
  if (taken) throw new BadRequestError(`key_alias already exists: ${alias}`, 'key_alias');
}

function checkBudgetDuration(value: string | null | undefined): void {
  if (value != null && !isBudgetDuration(value)) {
    throw new BadRequestError(
      `budget_duration must look like 30s, 30m, 30h, 30d or 1mo; got ${value}`,
      'budget_duration',
    );
  }
}

/** Maps a race on a unique index (checked first, but two admins can collide) to the same 400. */
function rethrowUnique(err: unknown): never {
  if (isUniqueViolation(err, 'keys_key_alias_key'))
    throw new BadRequestError('key_alias already exists', 'key_alias');
  if (isUniqueViolation(err, 'keys_pkey')) throw new BadRequestError('this key already exists', 'key');
  throw err;
}

export interface CreateKeyOptions {
  input: KeyInput;
  /** A caller-chosen raw key (must start with `sk-`); generated otherwise. */
  rawKey?: string;
  /** /key/service-account/generate: sets the service-account id and forces user_id to null. */
  serviceAccount?: boolean;
  createdBy: string;
}

/** Creates a key inside `tx`; the raw key is returned here and nowhere else. */
export async function createKey(
  database: Database,
  tx: Tx,
  options: CreateKeyOptions,
): Promise<{ rawKey: string; row: KeyRow }> {
  const { input } = options;
  if (options.rawKey !== undefined && !isRawKey(options.rawKey)) {
    throw new BadRequestError('a custom key must start with "sk-"', 'key');
  }
  const rawKey = options.rawKey ?? generateRawKey();
  const metadata: Record<string, unknown> = { ...(input.metadata ?? {}) };
  let userId = input.userId ?? null;
  if (options.serviceAccount) {
    userId = null;
    metadata.service_account_id =
      serviceAccountIdOf(metadata) ??
      input.keyAlias ??
      `sa_${randomBytes(9).toString('base64url').slice(0, 12)}`;
  }
  if ('service_account_id' in metadata && serviceAccountIdOf(metadata) === null) {
    throw new BadRequestError(
      'metadata.service_account_id must be a non-empty string',
      'metadata.service_account_id',
    );
  }
  const isServiceAccount = serviceAccountIdOf(metadata) !== null;
  if (isServiceAccount && !input.teamId) throw new BadRequestError(SERVICE_ACCOUNT_TEAM_REQUIRED, 'team_id');
  if (isServiceAccount && userId !== null) {
    throw new BadRequestError('service account keys cannot have a user_id', 'user_id');
  }
  checkBudgetDuration(input.budgetDuration);
  if (input.teamId) await assertTeamExists(tx, input.teamId);
  if (input.keyAlias) await assertAliasFree(tx, input.keyAlias);

  const token = hashKey(rawKey);
  const values: NewKeyRow = {
    ...input,
    token,
    keyName: displayKeyName(rawKey),
    userId,
    metadata,
    budgetResetAt: input.budgetDuration ? nextBudgetReset(input.budgetDuration) : null,
    createdBy: options.createdBy,
  };
  let row: KeyRow | undefined;
  try {
    [row] = await tx.insert(keys).values(values).returning();
  } catch (err) {
    rethrowUnique(err);
  }
  if (!row) throw new Error('insert returned no row');
  // Also drops a negative cache entry for this hash on every replica.
  await notifyKeyChange(database, tx, { kind: 'key', id: token });
  return { rawKey, row };
}

async function lockKey(tx: Tx, token: string): Promise<KeyRow> {
  const [row] = await tx.select().from(keys).where(eq(keys.token, token)).for('update');
  if (!row) throw new NotFoundError('key not found', 'key');
  return row;
}

/**
 * Updates a key. Metadata is merged (LiteLLM); the service-account id cannot be added, changed or
 * removed, and a service account can neither get a user_id nor lose its team.
 */
export async function updateKey(
  database: Database,
  tx: Tx,
  token: string,
  patch: KeyInput,
): Promise<{ before: KeyRow; after: KeyRow }> {
  const before = await lockKey(tx, token);
  const beforeSa = serviceAccountIdOf(before.metadata);
  const set: Partial<NewKeyRow> = { ...patch, updatedAt: new Date() };
  if (patch.metadata) {
    if ('service_account_id' in patch.metadata && patch.metadata.service_account_id !== beforeSa) {
      throw new BadRequestError(
        beforeSa
          ? 'service_account_id cannot be changed or removed after the key is created'
          : 'service_account_id can only be set when the key is created (/key/service-account/generate)',
        'metadata.service_account_id',
      );
    }
    set.metadata = { ...before.metadata, ...patch.metadata };
  }
  if (beforeSa) {
    if (patch.userId != null)
      throw new BadRequestError('service account keys cannot have a user_id', 'user_id');
    if (patch.teamId === null) throw new BadRequestError(SERVICE_ACCOUNT_TEAM_REQUIRED, 'team_id');
  }
  checkBudgetDuration(patch.budgetDuration);
  if (patch.budgetDuration !== undefined && patch.budgetDuration !== before.budgetDuration) {
    set.budgetResetAt = patch.budgetDuration ? nextBudgetReset(patch.budgetDuration) : null;
  }
  if (patch.teamId && patch.teamId !== before.teamId) await assertTeamExists(tx, patch.teamId);
  if (patch.keyAlias) await assertAliasFree(tx, patch.keyAlias, token);
  let after: KeyRow | undefined;
  try {
    [after] = await tx.update(keys).set(set).where(eq(keys.token, token)).returning();
  } catch (err) {
    rethrowUnique(err);
  }
  if (!after) throw new NotFoundError('key not found', 'key');
  await notifyKeyChange(database, tx, { kind: 'key', id: token });
  return { before, after };
}

export async function setKeyBlocked(
  database: Database,
  tx: Tx,
  token: string,
  blocked: boolean,
): Promise<{ before: KeyRow; after: KeyRow }> {
  const before = await lockKey(tx, token);
  const [after] = await tx
    .update(keys)
    .set({ blocked, updatedAt: new Date() })
    .where(eq(keys.token, token))
    .returning();
  if (!after) throw new NotFoundError('key not found', 'key');
  await notifyKeyChange(database, tx, { kind: 'key', id: token });
  return { before, after };
}

/** Deletes keys by hash; if any is unknown nothing is deleted (404 naming it). */
export async function deleteKeys(database: Database, tx: Tx, tokens: readonly string[]): Promise<KeyRow[]> {
  if (tokens.length === 0) return [];
  const unique = [...new Set(tokens)];
  const rows = await tx.delete(keys).where(inArray(keys.token, unique)).returning();
  if (rows.length !== unique.length) {
    const found = new Set(rows.map((r) => r.token));
    const missing = unique.find((t) => !found.has(t));
    throw new NotFoundError(`key not found: ${missing}`, 'keys');
  }
  for (const row of rows) await notifyKeyChange(database, tx, { kind: 'key', id: row.token });
  return rows;
}

/** Deletes the rows matched by a raw query (team or user deletion) and notifies each. */
export async function deleteKeyRows(database: Database, tx: Tx, rows: readonly KeyRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.delete(keys).where(
    inArray(
      keys.token,
      rows.map((r) => r.token),
    ),
  );
  for (const row of rows) await notifyKeyChange(database, tx, { kind: 'key', id: row.token });
}

/**
 * Replaces a key's secret: same row (alias, spend, limits), new hash. The old key stops working on
 * every replica at commit. Optional `patch` applies LiteLLM's regenerate-with-changes.
 */
export async function regenerateKey(
  database: Database,
  tx: Tx,
  token: string,
  options: { newRawKey?: string; patch?: KeyInput } = {},
): Promise<{ rawKey: string; before: KeyRow; after: KeyRow }> {
  if (options.newRawKey !== undefined && !isRawKey(options.newRawKey)) {
    throw new BadRequestError('a custom key must start with "sk-"', 'new_key');
  }
  let before = await lockKey(tx, token);
  if (options.patch && Object.keys(options.patch).length > 0) {
    ({ before } = await updateKey(database, tx, token, options.patch));
  }
  const rawKey = options.newRawKey ?? generateRawKey();
  const newToken = hashKey(rawKey);
  let after: KeyRow | undefined;
  try {
    [after] = await tx
      .update(keys)
      .set({ token: newToken, keyName: displayKeyName(rawKey), updatedAt: new Date() })
      .where(eq(keys.token, token))
      .returning();
  } catch (err) {
    rethrowUnique(err);
  }
  if (!after) throw new NotFoundError('key not found', 'key');
  await notifyKeyChange(database, tx, { kind: 'key', id: token });
  await notifyKeyChange(database, tx, { kind: 'key', id: newToken });
  return { rawKey, before, after };
}
