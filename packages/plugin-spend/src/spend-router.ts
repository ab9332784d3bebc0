import { Router } from '@koa/router';
import type { AdminState } from '@warden/admin-api';
import { adminAuth, requireAdmin } from '@warden/admin-api';
import { BadRequestError } from '@warden/core';
import type { Database, SpendLogRow } from '@warden/db';
import { spendLogs } from '@warden/db';
import type { SQL } from 'drizzle-orm';
import { and, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { KeyLookup } from '@warden/keys';
import type { Middleware } from 'koa';
import { dateParam, dollars, intParam, keyHashParam, param } from './query-params.ts';

export interface SpendRouterOptions {
  database: Database;
  /**
   * Who may call: the admin API's `adminAuth` deps (`{ keys, masterKey }`; the middleware is built
   * here), or an `adminAuth(...)` middleware the app already built. Either way `requireAdmin` runs
   * after it, so every spend route is admin only (master key or a proxy_admin user's key).
   */
  auth: { keys: KeyLookup; masterKey: string } | Middleware<AdminState>;
  /** Proxy-wide budget in dollars reported by /global/spend (LiteLLM's `max_budget`; default 0). */
  maxBudget?: number;
}

const GROUPS = ['day', 'key', 'team', 'model'] as const;
type GroupBy = (typeof GROUPS)[number];

/**
 * The spend read API (SPEC §5), admin only:
 * - `GET /spend/logs?api_key=&user_id=&team_id=&start_date=&end_date=&page=&size=` → one page of
 *   rows, newest first, paginated in SQL: `{data, total, page, page_size, total_pages}`.
 * - `GET /spend/report?start_date=&end_date=&group_by=day|key|team|model` → sums aggregated in SQL.
 * - `GET /global/spend` → `{spend, max_budget}` in dollars, like LiteLLM.
 *
 * @example
 * const router = createSpendRouter({ database, auth: { keys: keyLookup, masterKey } });
 * app.use(router.routes()).use(router.allowedMethods());
 */
export function createSpendRouter(options: SpendRouterOptions): Router<AdminState> {
  const { database } = options;
  const auth = typeof options.auth === 'function' ? options.auth : adminAuth(options.auth);
  const db = database.db;
  const router = new Router<AdminState>();

  router.get('/spend/logs', auth, requireAdmin, async (ctx) => {
    const q = ctx.query;
    const page = intParam(q, 'page', 1, 1, 1_000_000);
    const size = intParam(q, 'size', 50, 1, 1000);
    const where = filters(q, true);
    const [rows, [total]] = await Promise.all([
      db
        .select()
        .from(spendLogs)
        .where(where)
        .orderBy(desc(spendLogs.startedAt), desc(spendLogs.id))
        .limit(size)
        .offset((page - 1) * size),
      db.select({ n: count() }).from(spendLogs).where(where),
    ]);
    const totalCount = Number(total?.n ?? 0);
    ctx.body = {
      data: rows.map(toWire),
      total: totalCount,
      page,
      page_size: size,
      total_pages: Math.ceil(totalCount / size),
    };
  });

  router.get('/spend/report', auth, requireAdmin, async (ctx) => {
    const q = ctx.query;
    const groupBy = (param(q, 'group_by') ?? 'day') as GroupBy;
    if (!GROUPS.includes(groupBy)) {
      throw new BadRequestError(`group_by must be one of ${GROUPS.join(', ')}`, 'group_by');
    }
    const group = groupExpression(groupBy);
    const spend = sql<number>`coalesce(sum(${spendLogs.costMicros}), 0)::bigint`.mapWith(Number);
    const rows = await db
      .select({
        group: group,
        spendMicros: spend,
        promptTokens: sql<number>`coalesce(sum(${spendLogs.promptTokens}), 0)::bigint`.mapWith(Number),
        completionTokens: sql<number>`coalesce(sum(${spendLogs.completionTokens}), 0)::bigint`.mapWith(
          Number,
        ),
        totalTokens: sql<number>`coalesce(sum(${spendLogs.totalTokens}), 0)::bigint`.mapWith(Number),
        requests: count(),
      })
      .from(spendLogs)
      .where(filters(q, false))
      .groupBy(group)
      // Days read as a time series; the other groupings as a leaderboard.
      .orderBy(groupBy === 'day' ? sql`1 asc` : sql`2 desc, 1 asc`);
    const label = { day: 'day', key: 'api_key', team: 'team_id', model: 'model' }[groupBy];
    let totalMicros = 0;
    const data = rows.map((r) => {
      totalMicros += r.spendMicros;
      return {
        [label]: r.group,
        spend: dollars(r.spendMicros),
        spend_micros: r.spendMicros,
        prompt_tokens: r.promptTokens,
        completion_tokens: r.completionTokens,
        total_tokens: r.totalTokens,
        requests: Number(r.requests),
      };
    });
    ctx.body = {
      group_by: groupBy,
      start_date: param(q, 'start_date') ?? null,
      end_date: param(q, 'end_date') ?? null,
      total_spend: dollars(totalMicros),
      data,
    };
  });

  router.get('/global/spend', auth, requireAdmin, async (ctx) => {
    const [row] = await db
      .select({ micros: sql<number>`coalesce(sum(${spendLogs.costMicros}), 0)::bigint`.mapWith(Number) })
      .from(spendLogs);
    ctx.body = { spend: dollars(row?.micros ?? 0), max_budget: options.maxBudget ?? 0 };
  });

  return router;
}

function groupExpression(groupBy: GroupBy): SQL<string | null> {
  switch (groupBy) {
    case 'day':
      return sql<string>`to_char(${spendLogs.startedAt} at time zone 'UTC', 'YYYY-MM-DD')`;
    case 'key':
      return sql<string | null>`${spendLogs.keyHash}`;
    case 'team':
      return sql<string | null>`${spendLogs.teamId}`;
    case 'model':
      return sql<string>`${spendLogs.model}`;
  }
}

function filters(q: Record<string, string | string[] | undefined>, withOwners: boolean): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  const start = dateParam(q, 'start_date', false);
  const end = dateParam(q, 'end_date', true);
  if (start) parts.push(gte(spendLogs.startedAt, start));
  if (end) parts.push(lt(spendLogs.startedAt, end));
  if (withOwners) {
    const keyHash = keyHashParam(q, 'api_key');
    const userId = param(q, 'user_id');
    const teamId = param(q, 'team_id');
    if (keyHash) parts.push(eq(spendLogs.keyHash, keyHash));
    if (userId) parts.push(eq(spendLogs.userId, userId));
    if (teamId) parts.push(eq(spendLogs.teamId, teamId));
  }
  return parts.length === 0 ? undefined : and(...parts);
}

/** A row as the API shows it: snake_case columns, dollars, plus LiteLLM's names where they differ. */
function toWire(row: SpendLogRow): Record<string, unknown> {
  const start = row.startedAt;
  return {
    id: row.id,
    request_id: row.requestId,
    api_key: row.keyHash,
    team_id: row.teamId,
    user: row.userId,
    user_id: row.userId,
    model: row.model,
    model_id: row.deploymentId,
    deployment_id: row.deploymentId,
    provider_model: row.providerModel,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    total_tokens: row.totalTokens,
    spend: dollars(row.costMicros),
    cost_micros: row.costMicros,
    status: row.status,
    stream: row.stream,
    usage_estimated: row.usageEstimated,
    unpriced: row.unpriced,
    aborted: row.aborted,
    error_type: row.errorType,
    startTime: start.toISOString(),
    endTime: new Date(start.getTime() + row.durationMs).toISOString(),
    duration_ms: row.durationMs,
    ttfb_ms: row.ttfbMs,
    metadata: row.metadata,
  };
}
