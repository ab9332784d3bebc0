import { randomUUID } from 'node:crypto';
import type { Router } from '@koa/router';
import { BadRequestError, NotFoundError } from '@warden/core';
import { keys, type TeamMemberRow, teamMembers, type TeamRow, teams, type Tx } from '@warden/db';
import { deleteKeyRows } from '@warden/keys';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { callerOf, requireAdmin } from '../admin-auth.ts';
import { writeAudit } from '../audit.ts';
import { recordDeletedKeys } from '../key-audit.ts';
import { readInput } from '../input.ts';
import { insertOwner } from '../owner-insert.ts';
import { mutate, publishKeyChange } from '../mutation.ts';
import type { AdminDeps, AdminState } from '../types.ts';
import { ownerFields } from '../limit-fields.ts';
import { ownerValues } from '../owner-values.ts';
import { id, queryString } from '../validation.ts';
import { keyToWire, teamToWire } from '../wire.ts';

const member = z.object({
  user_id: id,
  role: z.enum(['admin', 'user']).default('user'),
  user_email: z.string().nullable().optional(),
});

const teamFields = {
  team_alias: z.string().nullable().optional(),
  ...ownerFields,
  members_with_roles: z.array(member).optional(),
};

const newSchema = z.object({ team_id: id.optional(), ...teamFields });
const updateSchema = z.object({ team_id: id, ...teamFields });
const deleteSchema = z.object({ team_ids: z.array(id).min(1) });
const memberAddSchema = z.object({ team_id: id, member: z.union([member, z.array(member).min(1)]) });
const memberDeleteSchema = z.object({ team_id: id, user_id: id });

// Upserted members keep the role from the request.
const sqlExcludedRole = sql`excluded.role`;

type TeamFields = z.infer<z.ZodObject<typeof teamFields>>;

function toTeamValues(body: TeamFields): Partial<TeamRow> {
  const v: Partial<TeamRow> = ownerValues(body);
  if (body.team_alias !== undefined) v.teamAlias = body.team_alias;
  return v;
}

async function lockTeam(tx: Tx, teamId: string): Promise<TeamRow> {
  const [row] = await tx.select().from(teams).where(eq(teams.teamId, teamId)).for('update');
  if (!row) throw new NotFoundError(`team not found: ${teamId}`, 'team_id');
  return row;
}

async function membersOf(tx: Pick<Tx, 'select'>, teamId: string): Promise<TeamMemberRow[]> {
  return tx
    .select()
    .from(teamMembers)
    .where(eq(teamMembers.teamId, teamId))
    .orderBy(asc(teamMembers.createdAt));
}

export function registerTeamRoutes(router: Router<AdminState>, deps: AdminDeps): void {
  const { database } = deps;

  router.post('/team/new', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, newSchema, '/team/new');
    const caller = callerOf(ctx.state);
    const teamId = body.team_id ?? randomUUID();
    ctx.body = await mutate(deps, async (tx) => {
      const row = await insertOwner('team', teamId, () =>
        tx
          .insert(teams)
          .values({ teamId, ...toTeamValues(body), createdBy: caller.actor })
          .returning(),
      );
      const members = body.members_with_roles ?? [];
      if (members.length) {
        await tx
          .insert(teamMembers)
          .values(members.map((m) => ({ teamId, userId: m.user_id, role: m.role })))
          .onConflictDoUpdate({
            target: [teamMembers.teamId, teamMembers.userId],
            set: { role: sqlExcludedRole },
          });
      }
      const wire = teamToWire(row, await membersOf(tx, teamId));
      await writeAudit(tx, {
        actor: caller.actor,
        action: 'team.new',
        objectType: 'team',
        objectId: teamId,
        before: null,
        after: wire,
      });
      return wire;
    });
  });

  router.post('/team/update', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, updateSchema, '/team/update');
    const caller = callerOf(ctx.state);
    ctx.body = await mutate(deps, async (tx, changed) => {
      const before = await lockTeam(tx, body.team_id);
      const beforeMembers = await membersOf(tx, body.team_id);
      const values = toTeamValues(body);
      if (values.metadata) values.metadata = { ...before.metadata, ...values.metadata };
      const [after] = await tx
        .update(teams)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(teams.teamId, body.team_id))
        .returning();
      if (!after) throw new NotFoundError(`team not found: ${body.team_id}`, 'team_id');
      if (body.members_with_roles) {
        // members_with_roles on update replaces the membership (LiteLLM semantics).
        await tx.delete(teamMembers).where(eq(teamMembers.teamId, body.team_id));
        if (body.members_with_roles.length) {
          await tx
            .insert(teamMembers)
            .values(
              body.members_with_roles.map((m) => ({ teamId: body.team_id, userId: m.user_id, role: m.role })),
            )
            .onConflictDoUpdate({
              target: [teamMembers.teamId, teamMembers.userId],
              set: { role: sqlExcludedRole },
            });
        }
      }
      const wire = teamToWire(after, await membersOf(tx, body.team_id));
      await writeAudit(tx, {
        actor: caller.actor,
        action: 'team.update',
        objectType: 'team',
        objectId: body.team_id,
        before: teamToWire(before, beforeMembers),
        after: wire,
      });
      await publishKeyChange(deps, tx, changed, { kind: 'team', id: body.team_id });
      return wire;
    });
  });

  // Deletes the teams and all their keys (service accounts included) in one audited transaction.
  router.post('/team/delete', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, deleteSchema, '/team/delete');
    const caller = callerOf(ctx.state);
    ctx.body = await mutate(deps, async (tx, changed) => {
      const deletedKeys: string[] = [];
      for (const teamId of new Set(body.team_ids)) {
        const before = await lockTeam(tx, teamId);
        const members = await membersOf(tx, teamId);
        const teamKeys = await tx.select().from(keys).where(eq(keys.teamId, teamId)).for('update');
        await deleteKeyRows(database, tx, teamKeys);
        deletedKeys.push(...(await recordDeletedKeys(tx, caller.actor, teamKeys, changed)));
        await tx.delete(teams).where(eq(teams.teamId, teamId));
        await writeAudit(tx, {
          actor: caller.actor,
          action: 'team.delete',
          objectType: 'team',
          objectId: teamId,
          before: teamToWire(before, members),
          after: null,
        });
        await publishKeyChange(deps, tx, changed, { kind: 'team', id: teamId });
      }
      return { deleted_teams: [...new Set(body.team_ids)], deleted_keys: deletedKeys };
    });
  });

  router.get('/team/info', requireAdmin, async (ctx) => {
    const teamId = queryString(ctx.query.team_id);
    if (!teamId) throw new BadRequestError('team_id is required', 'team_id');
    const [row] = await database.db.select().from(teams).where(eq(teams.teamId, teamId)).limit(1);
    if (!row) throw new NotFoundError(`team not found: ${teamId}`, 'team_id');
    const members = await membersOf(database.db, teamId);
    const teamKeys = await database.db
      .select()
      .from(keys)
      .where(eq(keys.teamId, teamId))
      .orderBy(asc(keys.createdAt));
    ctx.body = {
      team_id: teamId,
      team_info: teamToWire(row, members),
      keys: teamKeys.map(keyToWire),
      team_memberships: members.map((m) => ({ user_id: m.userId, role: m.role })),
    };
  });

  router.get('/team/list', requireAdmin, async (ctx) => {
    const rows = await database.db
      .select()
      .from(teams)
      .orderBy(asc(teams.createdAt), asc(teams.teamId))
      .limit(1000);
    const ids = rows.map((r) => r.teamId);
    const members = ids.length
      ? await database.db.select().from(teamMembers).where(inArray(teamMembers.teamId, ids))
      : [];
    ctx.body = rows.map((r) =>
      teamToWire(
        r,
        members.filter((m) => m.teamId === r.teamId),
      ),
    );
  });

  router.post('/team/member_add', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, memberAddSchema, '/team/member_add');
    const caller = callerOf(ctx.state);
    const added = Array.isArray(body.member) ? body.member : [body.member];
    ctx.body = await mutate(deps, async (tx) => {
      const team = await lockTeam(tx, body.team_id);
      const before = await membersOf(tx, body.team_id);
      await tx
        .insert(teamMembers)
        .values(added.map((m) => ({ teamId: body.team_id, userId: m.user_id, role: m.role })))
        .onConflictDoUpdate({
          target: [teamMembers.teamId, teamMembers.userId],
          set: { role: sqlExcludedRole },
        });
      const after = await membersOf(tx, body.team_id);
      await writeAudit(tx, {
        actor: caller.actor,
        action: 'team.member_add',
        objectType: 'team',
        objectId: body.team_id,
        before: { members_with_roles: before.map((m) => ({ user_id: m.userId, role: m.role })) },
        after: { members_with_roles: after.map((m) => ({ user_id: m.userId, role: m.role })) },
      });
      return teamToWire(team, after);
    });
  });

  router.post('/team/member_delete', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, memberDeleteSchema, '/team/member_delete');
    const caller = callerOf(ctx.state);
    ctx.body = await mutate(deps, async (tx) => {
      const team = await lockTeam(tx, body.team_id);
      const removed = await tx
        .delete(teamMembers)
        .where(and(eq(teamMembers.teamId, body.team_id), eq(teamMembers.userId, body.user_id)))
        .returning();
      if (removed.length === 0)
        throw new NotFoundError(`user ${body.user_id} is not a member of team ${body.team_id}`, 'user_id');
      await writeAudit(tx, {
        actor: caller.actor,
        action: 'team.member_delete',
        objectType: 'team',
        objectId: body.team_id,
        before: { user_id: body.user_id, role: removed[0]?.role ?? null },
        after: null,
      });
      return teamToWire(team, await membersOf(tx, body.team_id));
    });
  });
}
