import { randomBytes } from 'node:crypto';
import type { Router } from '@koa/router';
import { BadRequestError, NotFoundError } from '@warden/core';
import { type PolicyRow, policies } from '@warden/db';
import { isRawKey, isUniqueViolation } from '@warden/keys';
import { createPolicyEngine, KEY_TYPES, type PolicyKeyInfo, validatePolicy } from '@warden/policy';
import { asc, eq, inArray, or } from 'drizzle-orm';
import { z } from 'zod';
import { callerOf, requireAdmin } from '../admin-auth.ts';
import { writeAudit } from '../audit.ts';
import { readJsonObject } from '../body.ts';
import { readInput } from '../input.ts';
import { mutate } from '../mutation.ts';
import { loadApiPolicies, POLICIES_CHANNEL } from '../policies.ts';
import type { AdminDeps, AdminState } from '../types.ts';
import { provenanceToWire } from '../wire.ts';

function policyToWire(row: PolicyRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    document: row.document,
    ...provenanceToWire(row),
  };
}

/** `/policy/new` takes the document itself, or `{"policy": {...}}`. Invalid → 400 naming the rule. */
function validDocument(body: Record<string, unknown>): Record<string, unknown> {
  const candidate =
    typeof body.policy === 'object' && body.policy !== null && !Array.isArray(body.policy)
      ? body.policy
      : body;
  const { id: _id, ...doc } = candidate as Record<string, unknown>;
  const result = validatePolicy(doc);
  if (!result.ok) {
    const first = result.errors[0];
    const message = result.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    throw new BadRequestError(`Invalid policy: ${message}`, first?.path ?? null);
  }
  return result.policy as unknown as Record<string, unknown>;
}

const deleteSchema = z.object({
  name: z.string().optional(),
  names: z.array(z.string()).optional(),
  id: z.string().optional(),
  ids: z.array(z.string()).optional(),
});

const testSchema = z.object({
  key: z.string().optional(),
  key_type: z.enum(KEY_TYPES).optional(),
  team_id: z.string().nullable().optional(),
  user_id: z.string().nullable().optional(),
  key_alias: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  models: z.array(z.string()).optional(),
  enforced_params: z.array(z.string()).optional(),
  request: z.record(z.string(), z.unknown()),
  route: z.string().optional(),
  method: z.string().optional(),
});

export function registerPolicyRoutes(router: Router<AdminState>, deps: AdminDeps): void {
  const { database } = deps;
  const fallbackEngine = createPolicyEngine({ settings: {}, configPolicies: [] });

  router.get('/policy/list', requireAdmin, async (ctx) => {
    const rows = await database.db.select().from(policies).orderBy(asc(policies.createdAt), asc(policies.id));
    ctx.body = { policies: rows.map(policyToWire) };
  });

  router.post('/policy/new', requireAdmin, async (ctx) => {
    const doc = validDocument(await readJsonObject(ctx, deps.maxBodyBytes));
    const caller = callerOf(ctx.state);
    const name = String(doc.name);
    ctx.body = await mutate(deps, async (tx) => {
      const [exists] = await tx.select({ id: policies.id }).from(policies).where(eq(policies.name, name));
      if (exists) throw new BadRequestError(`a policy named ${name} already exists`, 'name');
      const [row] = await tx
        .insert(policies)
        .values({
          id: `pol_${randomBytes(9).toString('base64url')}`,
          name,
          document: doc,
          createdBy: caller.actor,
        })
        .returning();
      if (!row) throw new Error('insert returned no row');
      const wire = policyToWire(row);
      await writeAudit(tx, {
        actor: caller.actor,
        action: 'policy.new',
        objectType: 'policy',
        objectId: row.id,
        before: null,
        after: wire,
      });
      await database.notify(POLICIES_CHANNEL, name, tx);
      return wire;
    });
  });

  router.post('/policy/update', requireAdmin, async (ctx) => {
    const body = await readJsonObject(ctx, deps.maxBodyBytes);
    const doc = validDocument(body);
    const caller = callerOf(ctx.state);
    const policyId = typeof body.id === 'string' ? body.id : null;
    ctx.body = await mutate(deps, async (tx) => {
      const [before] = await tx
        .select()
        .from(policies)
        .where(policyId ? eq(policies.id, policyId) : eq(policies.name, String(doc.name)))
        .for('update');
      if (!before)
        throw new NotFoundError(
          `policy not found: ${policyId ?? String(doc.name)}`,
          policyId ? 'id' : 'name',
        );
      const [after] = await tx
        .update(policies)
        .set({ name: String(doc.name), document: doc, updatedAt: new Date() })
        .where(eq(policies.id, before.id))
        .returning()
        .catch((err: unknown) => {
          if (isUniqueViolation(err))
            throw new BadRequestError(`a policy named ${String(doc.name)} already exists`, 'name');
          throw err;
        });
      if (!after) throw new NotFoundError('policy not found', 'name');
      const wire = policyToWire(after);
      await writeAudit(tx, {
        actor: caller.actor,
        action: 'policy.update',
        objectType: 'policy',
        objectId: before.id,
        before: policyToWire(before),
        after: wire,
      });
      await database.notify(POLICIES_CHANNEL, after.name, tx);
      return wire;
    });
  });

  router.post('/policy/delete', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, deleteSchema, '/policy/delete');
    const caller = callerOf(ctx.state);
    const names = [...(body.names ?? []), ...(body.name ? [body.name] : [])];
    const ids = [...(body.ids ?? []), ...(body.id ? [body.id] : [])];
    if (names.length === 0 && ids.length === 0) throw new BadRequestError('name is required', 'name');
    ctx.body = await mutate(deps, async (tx) => {
      const conds = [
        ...(names.length ? [inArray(policies.name, names)] : []),
        ...(ids.length ? [inArray(policies.id, ids)] : []),
      ];
      const rows = await tx
        .delete(policies)
        .where(or(...conds))
        .returning();
      if (rows.length < names.length + ids.length) {
        const found = new Set(rows.flatMap((r) => [r.name, r.id]));
        const missing = [...names, ...ids].find((n) => !found.has(n));
        throw new NotFoundError(`policy not found: ${missing}`, 'name');
      }
      for (const row of rows) {
        await writeAudit(tx, {
          actor: caller.actor,
          action: 'policy.delete',
          objectType: 'policy',
          objectId: row.id,
          before: policyToWire(row),
          after: null,
        });
        await database.notify(POLICIES_CHANNEL, row.name, tx);
      }
      return { deleted_policies: rows.map((r) => r.name) };
    });
  });

  // Dry run against the current API policies (plus the gateway's config policies and lists).
  router.post('/policy/test', requireAdmin, async (ctx) => {
    const body = await readInput(ctx, deps, testSchema, '/policy/test');
    let key: PolicyKeyInfo;
    let model = typeof body.request.model === 'string' ? body.request.model : '';
    if (body.key !== undefined) {
      if (!isRawKey(body.key)) throw new BadRequestError('key must be a raw sk- key', 'key');
      const result = await deps.keys.verify(body.key);
      if (!result.valid) throw new NotFoundError(`key not usable: ${result.code}`, 'key');
      const k = result.key;
      model = k.aliases[model] ?? model;
      key = {
        type: k.ownerType,
        alias: k.alias,
        team_id: k.teamId,
        user_id: k.userId,
        metadata: { ...k.metadata },
        models: k.models,
        enforced_params: k.enforcedParams,
      };
    } else if (body.key_type !== undefined) {
      key = {
        type: body.key_type,
        alias: body.key_alias ?? null,
        team_id: body.team_id ?? null,
        user_id: body.user_id ?? null,
        metadata: body.metadata ?? {},
        models: body.models ?? [],
        enforced_params: body.enforced_params ?? [],
      };
    } else {
      throw new BadRequestError('pass "key" (a raw sk- key) or "key_type"', 'key');
    }
    const engine = deps.policyEngine ?? fallbackEngine;
    // Refresh from the database first, so a policy created a moment ago is tested even before this
    // replica's NOTIFY listener reloads it.
    engine.setApiPolicies(await loadApiPolicies(database));
    const result = engine.evaluate(
      {
        request: body.request,
        key,
        route: body.route ?? '/chat/completions',
        method: (body.method ?? 'POST').toUpperCase(),
        model,
      },
      { collectAll: true },
    );
    ctx.body = {
      allowed: result.allow,
      violations: result.violations.map((v) => ({
        policy: v.policy,
        rule: v.rule,
        message: v.message,
        param: v.param,
        status: v.status,
      })),
      request: result.request,
    };
  });
}
