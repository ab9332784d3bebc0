import type { Router } from '@koa/router';
import { auditLog } from '@warden/db';
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { requireAdmin } from '../admin-auth.ts';
import type { AdminDeps, AdminState } from '../types.ts';
import { queryInt, queryString } from '../validation.ts';

export function registerAuditRoutes(router: Router<AdminState>, deps: AdminDeps): void {
  router.get('/audit/list', requireAdmin, async (ctx) => {
    const page = queryInt(ctx.query.page, 'page', 1);
    const size = queryInt(ctx.query.size, 'size', 50, 500);
    const filters: SQL[] = [];
    const objectType = queryString(ctx.query.object_type);
    const objectId = queryString(ctx.query.object_id);
    const actor = queryString(ctx.query.actor);
    const action = queryString(ctx.query.action);
    if (objectType) filters.push(eq(auditLog.objectType, objectType));
    if (objectId) filters.push(eq(auditLog.objectId, objectId));
    if (actor) filters.push(eq(auditLog.actor, actor));
    if (action) filters.push(eq(auditLog.action, action));
    const where = filters.length ? and(...filters) : undefined;
    const [total] = await deps.database.db.select({ n: count() }).from(auditLog).where(where);
    const rows = await deps.database.db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(size)
      .offset((page - 1) * size);
    const n = total?.n ?? 0;
    ctx.body = {
      entries: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: r.actor,
        action: r.action,
        object_type: r.objectType,
        object_id: r.objectId,
        before: r.before,
        after: r.after,
      })),
      total_count: n,
      current_page: page,
      total_pages: Math.ceil(n / size),
    };
  });
}
