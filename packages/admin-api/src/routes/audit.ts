import type { Router } from '@koa/router';
import { auditLog } from '@warden/db';
import { and, count, desc } from 'drizzle-orm';
import { requireAdmin } from '../admin-auth.ts';
import type { AdminDeps, AdminState } from '../types.ts';
import { pageCounts, readPage } from '../pagination.ts';
import { exactMatchFilters } from '../query-filters.ts';

export function registerAuditRoutes(router: Router<AdminState>, deps: AdminDeps): void {
  router.get('/audit/list', requireAdmin, async (ctx) => {
    const page = readPage(ctx.query, { sizeParams: ['size'], defaultSize: 50, maxSize: 500 });
    const filters = exactMatchFilters(ctx.query, {
      object_type: auditLog.objectType,
      object_id: auditLog.objectId,
      actor: auditLog.actor,
      action: auditLog.action,
    });
    const where = filters.length ? and(...filters) : undefined;
    const [total] = await deps.database.db.select({ n: count() }).from(auditLog).where(where);
    const rows = await deps.database.db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(page.size)
      .offset(page.offset);
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
      ...pageCounts(total?.n ?? 0, page),
    };
  });
}
