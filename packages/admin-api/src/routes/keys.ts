import type { Router } from '@koa/router';
import { BadRequestError, NotFoundError, PermissionError } from '@warden/core';
import { type KeyRow, keys } from '@warden/db';
import {
  createKey,
  deleteKeys,
  type KeyInput,
  keyRefToHash,
  regenerateKey,
  setKeyBlocked,
  updateKey,
} from '@warden/keys';
import { and, count, desc, eq, ilike, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { callerOf, requireAdmin } from '../admin-auth.ts';
import { writeAudit } from '../audit.ts';
import { optionalMicros } from '../money.ts';
import { recordDeletedKeys, recordKeyChange } from '../key-audit.ts';
import { readInput } from '../input.ts';
import { mutate } from '../mutation.ts';
import { exactMatchFilters } from '../query-filters.ts';
import { pageCounts, readPage } from '../pagination.ts';
import type { AdminDeps, AdminState } from '../types.ts';
import { budgetFields, maxBudgetValue, rateLimitFields, rateLimitValues } from '../limit-fields.ts';
import { duration, durationMs, id, jsonObject, money, queryString, stringList } from '../validation.ts';
import { keyToWire } from '../wire.ts';
import { checkParamPath } from '@warden/policy';

const KEY_TYPES = ['llm_api', 'management', 'read_only', 'default'] as const;

const keyFields = {
  key_alias: id.nullable().optional(),
  user_id: id.nullable().optional(),
  team_id: id.nullable().optional(),
  key_type: z.enum(KEY_TYPES).optional(),
  models: stringList.optional(),
  aliases: z.record(z.string(), z.string()).optional(),
  ...budgetFields,
  spend: money.optional(),
  ...rateLimitFields,
  duration: duration.nullable().optional(),
  expires: z.iso.datetime({ offset: true }).nullable().optional(),
  blocked: z.boolean().optional(),
  metadata: jsonObject.optional(),
  // Checked here, not at request time: a bad name would otherwise make every call on the key fail.
  enforced_params: stringList
    .superRefine((names, ctx) => {
      for (const name of names) {
        const problem = checkParamPath(name);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }
    })
    .optional(),
  allowed_routes: stringList.optional(),
};

const generateSchema = z.object({ key: z.string().optional(), ...keyFields });
const updateSchema = z.object({ key: z.string(), ...keyFields });
const regenerateSchema = z.object({ key: z.string(), new_key: z.string().optional(), ...keyFields });
const keyRefSchema = z.object({ key: z.string() });
const deleteSchema = z.object({
  keys: z.array(z.string()).min(1).optional(),
  key_aliases: z.array(z.string()).min(1).optional(),
});

type KeyFieldsInput = z.infer<z.ZodObject<typeof keyFields>>;

/** LiteLLM wire fields → storage fields. Only fields present in the body are set. */
function toKeyInput(body: KeyFieldsInput): KeyInput {
  const input: KeyInput = { ...maxBudgetValue(body), ...rateLimitValues(body) };
  if (body.key_alias !== undefined) input.keyAlias = body.key_alias;
  if (body.user_id !== undefined) input.userId = body.user_id;
  if (body.team_id !== undefined) input.teamId = body.team_id;
  if (body.key_type !== undefined) input.keyType = body.key_type;
  if (body.models !== undefined) input.models = body.models;
  if (body.aliases !== undefined) input.aliases = body.aliases;
  if (body.budget_duration !== undefined) input.budgetDuration = body.budget_duration;
  if (body.spend !== undefined) input.spendMicros = optionalMicros(body.spend) ?? 0;
  if (body.duration !== undefined && body.expires !== undefined) {
    throw new BadRequestError('pass either duration or expires, not both', 'duration');
  }
  if (body.duration !== undefined) {
    input.expires = body.duration === null ? null : new Date(Date.now() + durationMs(body.duration));
  }
  if (body.expires !== undefined) input.expires = body.expires === null ? null : new Date(body.expires);
  if (body.blocked !== undefined) input.blocked = body.blocked;
  if (body.metadata !== undefined) input.metadata = body.metadata;
  if (body.enforced_params !== undefined) input.enforcedParams = body.enforced_params;
  if (body.allowed_routes !== undefined) input.allowedRoutes = body.allowed_routes;
  return input;
}

function refToHash(ref: string, param = 'key'): string {
  const hash = keyRefToHash(ref);
  if (!hash) throw new BadRequestError('key must be a raw sk- key or its SHA-256 hash', param);
  return hash;
}

function generatedResponse(rawKey: string, row: KeyRow): Record<string, unknown> {
  // The only response that carries a raw key (SPEC 4). `token` repeats it for LiteLLM clients.
  return { ...keyToWire(row), key: rawKey, token: rawKey, token_id: row.token };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const serviceAccountIdSql = sql`(${keys.metadata} ->> 'service_account_id')`;

export function registerKeyRoutes(router: Router<AdminState>, deps: AdminDeps): void {
  const { database, logger } = deps;

  const generate =
    (serviceAccount: boolean): Middleware<AdminState> =>
    async (ctx) => {
      const route = serviceAccount ? '/key/service-account/generate' : '/key/generate';
      const body = await readInput(ctx, deps, generateSchema, route);
      const caller = callerOf(ctx.state);
      const input = toKeyInput(body);
      const created = await mutate(deps, async (tx, changed) => {
        const result = await createKey(database, tx, {
          input,
          ...(body.key !== undefined ? { rawKey: body.key } : {}),
          serviceAccount,
          createdBy: caller.actor,
        });
        await writeAudit(tx, {
          actor: caller.actor,
          action: serviceAccount ? 'key.service_account.generate' : 'key.generate',
          objectType: 'key',
          objectId: result.row.token,
          before: null,
          after: keyToWire(result.row),
        });
        changed({ kind: 'key', id: result.row.token });
        return result;
      });
      logger.info('key created', {
        token: created.row.token,
        key_name: created.row.keyName,
        actor: caller.actor,
      });
      ctx.body = generatedResponse(created.rawKey, created.row);
    };

  router.post('/key/generate', requireAdmin, generate(false));
  router.post('/key/service-account/generate', requireAdmin, generate(true));

  router.post('/key/update', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, updateSchema, '/key/update');
    const caller = callerOf(ctx.state);
    const hash = refToHash(body.key);
    const { after } = await mutate(deps, async (tx, changed) => {
      const r = await updateKey(database, tx, hash, toKeyInput(body));
      await recordKeyChange(tx, caller.actor, 'key.update', hash, r, changed);
      return r;
    });
    ctx.body = keyToWire(after);
  });

  for (const [path, blocked] of [
    ['/key/block', true],
    ['/key/unblock', false],
  ] as const) {
    router.post(path, requireAdmin, async (ctx) => {
      const body = await readInput(ctx, deps, keyRefSchema, path);
      const caller = callerOf(ctx.state);
      const hash = refToHash(body.key);
      const { after } = await mutate(deps, async (tx, changed) => {
        const r = await setKeyBlocked(database, tx, hash, blocked);
        await recordKeyChange(tx, caller.actor, blocked ? 'key.block' : 'key.unblock', hash, r, changed);
        return r;
      });
      ctx.body = keyToWire(after);
    });
  }

  router.post('/key/regenerate', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, regenerateSchema, '/key/regenerate');
    const caller = callerOf(ctx.state);
    const hash = refToHash(body.key);
    const { rawKey, after } = await mutate(deps, async (tx, changed) => {
      const r = await regenerateKey(database, tx, hash, {
        ...(body.new_key !== undefined ? { newRawKey: body.new_key } : {}),
        patch: toKeyInput(body),
      });
      await recordKeyChange(tx, caller.actor, 'key.regenerate', hash, r, changed);
      changed({ kind: 'key', id: r.after.token });
      return r;
    });
    ctx.body = generatedResponse(rawKey, after);
  });

  router.post('/key/delete', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, deleteSchema, '/key/delete');
    const caller = callerOf(ctx.state);
    if (!body.keys && !body.key_aliases) throw new BadRequestError('keys is required', 'keys');
    const deleted = await mutate(deps, async (tx, changed) => {
      const hashes = (body.keys ?? []).map((k) => refToHash(k, 'keys'));
      for (const alias of body.key_aliases ?? []) {
        const [row] = await tx.select({ token: keys.token }).from(keys).where(eq(keys.keyAlias, alias));
        if (!row) throw new NotFoundError(`key not found: ${alias}`, 'key_aliases');
        hashes.push(row.token);
      }
      return recordDeletedKeys(tx, caller.actor, await deleteKeys(database, tx, hashes), changed);
    });
    ctx.body = { deleted_keys: deleted };
  });

  // Any valid key may read its own info; admins may read any key's.
  router.get('/key/info', async (ctx) => {
    const caller = callerOf(ctx.state);
    const passed = queryString(ctx.query.key);
    const hash = passed === undefined ? caller.key.hash : refToHash(passed);
    if (!caller.isAdmin && hash !== caller.key.hash) {
      throw new PermissionError('A non-admin key can only read its own /key/info.');
    }
    const [row] = await database.db.select().from(keys).where(eq(keys.token, hash)).limit(1);
    if (!row) throw new NotFoundError('key not found', 'key');
    ctx.body = { key: passed ?? hash, info: keyToWire(row) };
  });

  router.get('/key/list', requireAdmin, async (ctx) => {
    const page = readPage(ctx.query, { sizeParams: ['size'], defaultSize: 10, maxSize: 100 });
    const filters = exactMatchFilters(ctx.query, {
      team_id: keys.teamId,
      user_id: keys.userId,
      key_alias: keys.keyAlias,
    });
    const aliasContains = queryString(ctx.query.key_alias_contains);
    const ownerType = queryString(ctx.query.owner_type);
    if (aliasContains) filters.push(ilike(keys.keyAlias, `%${escapeLike(aliasContains)}%`));
    if (ownerType === 'service_account') filters.push(sql`${serviceAccountIdSql} is not null`);
    // Same rule as ownerTypeOf: team = a team and no user; user = everything else that is not a service account.
    else if (ownerType === 'user')
      filters.push(sql`${serviceAccountIdSql} is null`, or(isNotNull(keys.userId), isNull(keys.teamId))!);
    else if (ownerType === 'team')
      filters.push(sql`${serviceAccountIdSql} is null`, isNull(keys.userId), isNotNull(keys.teamId));
    else if (ownerType !== undefined) {
      throw new BadRequestError('owner_type must be one of user, service_account, team', 'owner_type');
    }
    const where = filters.length ? and(...filters) : undefined;
    const full = queryString(ctx.query.return_full_object) === 'true';
    const [total] = await database.db.select({ n: count() }).from(keys).where(where);
    const rows = await database.db
      .select()
      .from(keys)
      .where(where)
      .orderBy(desc(keys.createdAt), keys.token)
      .limit(page.size)
      .offset(page.offset);
    ctx.body = {
      keys: rows.map((r) => (full ? keyToWire(r) : r.token)),
      ...pageCounts(total?.n ?? 0, page),
    };
  });
}
