import { randomUUID } from 'node:crypto';
import type { Router } from '@koa/router';
import { BadRequestError, NotFoundError } from '@warden/core';
import { keys, teamMembers, type UserRow, users } from '@warden/db';
import { deleteKeyRows } from '@warden/keys';
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { callerOf, requireAdmin } from '../admin-auth.ts';
import { writeAudit } from '../audit.ts';
import { recordDeletedKeys } from '../key-audit.ts';
import { readInput } from '../input.ts';
import { insertOwner } from '../owner-insert.ts';
import { mutate, publishKeyChange } from '../mutation.ts';
import { readPage, totalPages } from '../pagination.ts';
import type { AdminDeps, AdminState } from '../types.ts';
import { ownerFields } from '../limit-fields.ts';
import { ownerValues } from '../owner-values.ts';
import { id, queryString } from '../validation.ts';
import { keyToWire, userToWire } from '../wire.ts';

/** LiteLLM's user roles. Only proxy_admin grants admin rights in Warden. */
const USER_ROLES = [
  'proxy_admin',
  'proxy_admin_viewer',
  'internal_user',
  'internal_user_viewer',
  'team',
  'customer',
] as const;

const userFields = {
  user_email: z.string().nullable().optional(),
  user_role: z.enum(USER_ROLES).optional(),
  ...ownerFields,
};

const newSchema = z.object({ user_id: id.optional(), ...userFields });
const updateSchema = z.object({ user_id: id, ...userFields });
const deleteSchema = z.object({ user_ids: z.array(id).min(1) });

type UserFields = z.infer<z.ZodObject<typeof userFields>>;

function toUserValues(body: UserFields): Partial<UserRow> {
  const v: Partial<UserRow> = ownerValues(body);
  if (body.user_email !== undefined) v.userEmail = body.user_email;
  if (body.user_role !== undefined) v.userRole = body.user_role;
  return v;
}

/** A user's personal keys: their user_id and no service-account id (those belong to the team). */
const personalKeysOf = (userId: string) =>
  and(eq(keys.userId, userId), isNull(sql`${keys.metadata} ->> 'service_account_id'`));

export function registerUserRoutes(router: Router<AdminState>, deps: AdminDeps): void {
  const { database } = deps;

  router.post('/user/new', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, newSchema, '/user/new');
    const caller = callerOf(ctx.state);
    const userId = body.user_id ?? randomUUID();
    ctx.body = await mutate(deps, async (tx, changed) => {
      const row = await insertOwner('user', userId, () =>
        tx
          .insert(users)
          .values({ userId, ...toUserValues(body), createdBy: caller.actor })
          .returning(),
      );
      const wire = userToWire(row);
      await writeAudit(tx, {
        actor: caller.actor,
        action: 'user.new',
        objectType: 'user',
        objectId: userId,
        before: null,
        after: wire,
      });
      // Keys may already reference this user_id (a free reference): their scopes and admin flag change.
      await publishKeyChange(deps, tx, changed, { kind: 'user', id: userId });
      return wire;
    });
  });

  router.post('/user/update', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, updateSchema, '/user/update');
    const caller = callerOf(ctx.state);
    ctx.body = await mutate(deps, async (tx, changed) => {
      const [before] = await tx.select().from(users).where(eq(users.userId, body.user_id)).for('update');
      if (!before) throw new NotFoundError(`user not found: ${body.user_id}`, 'user_id');
      const values = toUserValues(body);
      if (values.metadata) values.metadata = { ...before.metadata, ...values.metadata };
      const [after] = await tx
        .update(users)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(users.userId, body.user_id))
        .returning();
      if (!after) throw new NotFoundError(`user not found: ${body.user_id}`, 'user_id');
      const wire = userToWire(after);
      await writeAudit(tx, {
        actor: caller.actor,
        action: 'user.update',
        objectType: 'user',
        objectId: body.user_id,
        before: userToWire(before),
        after: wire,
      });
      await publishKeyChange(deps, tx, changed, { kind: 'user', id: body.user_id });
      return wire;
    });
  });

  // Deletes the users and their personal keys; team service-account keys keep working.
  router.post('/user/delete', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, deleteSchema, '/user/delete');
    const caller = callerOf(ctx.state);
    ctx.body = await mutate(deps, async (tx, changed) => {
      const deletedKeys: string[] = [];
      for (const userId of new Set(body.user_ids)) {
        const [before] = await tx.select().from(users).where(eq(users.userId, userId)).for('update');
        const personal = await tx.select().from(keys).where(personalKeysOf(userId)).for('update');
        if (!before && personal.length === 0)
          throw new NotFoundError(`user not found: ${userId}`, 'user_ids');
        await deleteKeyRows(database, tx, personal);
        deletedKeys.push(...(await recordDeletedKeys(tx, caller.actor, personal, changed)));
        await tx.delete(teamMembers).where(eq(teamMembers.userId, userId));
        if (before) {
          await tx.delete(users).where(eq(users.userId, userId));
          await writeAudit(tx, {
            actor: caller.actor,
            action: 'user.delete',
            objectType: 'user',
            objectId: userId,
            before: userToWire(before),
            after: null,
          });
        }
        await publishKeyChange(deps, tx, changed, { kind: 'user', id: userId });
      }
      return { deleted_users: [...new Set(body.user_ids)], deleted_keys: deletedKeys };
    });
  });

  router.get('/user/info', requireAdmin, async (ctx) => {
    const userId = queryString(ctx.query.user_id);
    if (!userId) throw new BadRequestError('user_id is required', 'user_id');
    const [row] = await database.db.select().from(users).where(eq(users.userId, userId)).limit(1);
    if (!row) throw new NotFoundError(`user not found: ${userId}`, 'user_id');
    const userKeys = await database.db
      .select()
      .from(keys)
      .where(eq(keys.userId, userId))
      .orderBy(asc(keys.createdAt));
    const memberships = await database.db.select().from(teamMembers).where(eq(teamMembers.userId, userId));
    ctx.body = {
      user_id: userId,
      user_info: userToWire(row),
      keys: userKeys.map(keyToWire),
      teams: memberships.map((m) => ({ team_id: m.teamId, role: m.role })),
    };
  });

  router.get('/user/list', requireAdmin, async (ctx) => {
    // LiteLLM's /user/list says page_size; `size` is accepted too, like /key/list.
    const page = readPage(ctx.query, { sizeParams: ['page_size', 'size'], defaultSize: 25, maxSize: 100 });
    const [total] = await database.db.select({ n: count() }).from(users);
    const rows = await database.db
      .select()
      .from(users)
      .orderBy(asc(users.createdAt), asc(users.userId))
      .limit(page.size)
      .offset(page.offset);
    const n = total?.n ?? 0;
    ctx.body = {
      users: rows.map(userToWire),
      total: n,
      page: page.page,
      page_size: page.size,
      total_pages: totalPages(n, page),
    };
  });
}
