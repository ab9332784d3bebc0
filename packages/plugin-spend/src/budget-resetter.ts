import type { Logger } from '@warden/core';
import { createLogger } from '@warden/core';
import type { Database, Tx } from '@warden/db';
import type { KeyChange } from '@warden/keys';
import { notifyKeyChange } from '@warden/keys';
import { nextBudgetReset } from '@warden/keys';
import { sql } from 'drizzle-orm';

/** Past this many changed rows one "drop everything" message replaces the per-row ones. */
const MAX_NOTIFICATIONS = 100;

const SCOPES = [
  { kind: 'key', table: 'keys', id: 'token' },
  { kind: 'team', table: 'teams', id: 'team_id' },
  { kind: 'user', table: 'users', id: 'user_id' },
] as const;

export interface BudgetResetResult {
  keys: number;
  teams: number;
  users: number;
}

export interface BudgetResetterOptions {
  database: Database;
  /** How often to look for due budgets (default 10 s). */
  intervalMs?: number;
  logger?: Logger;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface BudgetResetter {
  /** One pass now (also what the timer runs). */
  runOnce(): Promise<BudgetResetResult>;
  stop(): Promise<void>;
}

/**
 * Zeroes `spend_micros` of keys, teams and users whose `budget_reset_at` has passed and moves
 * `budget_reset_at` to the next calendar-aligned boundary of their `budget_duration` (LiteLLM's
 * rule, `nextBudgetReset` of @warden/keys), all in one
 * transaction with the cache-invalidation NOTIFY (delivered on commit). Replicas may all run it:
 * due rows are taken `FOR UPDATE SKIP LOCKED` and re-checked, so a budget is reset once per period.
 *
 * @example
 * const resetter = startBudgetResetter({ database, intervalMs: 10_000, logger });
 * // on shutdown: await resetter.stop();
 */
export function startBudgetResetter(options: BudgetResetterOptions): BudgetResetter {
  const { database } = options;
  const logger = options.logger ?? createLogger({ level: 'warn' });
  const now = options.now ?? (() => new Date());
  let running: Promise<BudgetResetResult> | null = null;

  const runOnce = (): Promise<BudgetResetResult> => {
    // Never two passes at once in one process; a caller during a pass gets that pass.
    running ??= resetDue(database, now()).finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => {
    runOnce().then(
      (result) => {
        if (result.keys + result.teams + result.users > 0) logger.info('budgets reset', { ...result });
      },
      (err) => logger.warn('budget reset pass failed; retrying next interval', { error: String(err) }),
    );
  }, options.intervalMs ?? 10_000);
  timer.unref();

  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}

interface DueRow {
  id: string;
  budget_duration: string | null;
}

async function resetDue(database: Database, at: Date): Promise<BudgetResetResult> {
  return database.db.transaction(async (tx) => {
    // A reset changes a scope's spend: every replica's cached key must reload it (on commit).
    const changed: KeyChange[] = [];
    const counts: Record<string, number> = {};
    for (const scope of SCOPES) {
      const n = await resetScope(tx, scope.table, scope.id, at, (id) =>
        changed.push({ kind: scope.kind, id }),
      );
      counts[scope.kind] = n;
    }
    if (changed.length > MAX_NOTIFICATIONS) await notifyKeyChange(database, tx, { kind: 'all' });
    else for (const change of changed) await notifyKeyChange(database, tx, change);
    return { keys: counts.key ?? 0, teams: counts.team ?? 0, users: counts.user ?? 0 };
  });
}

async function resetScope(
  tx: Tx,
  table: string,
  idColumn: string,
  at: Date,
  onChange: (id: string) => void,
): Promise<number> {
  const t = sql.identifier(table);
  const idCol = sql.identifier(idColumn);
  const due = (await tx.execute(
    sql`select ${idCol} as id, budget_duration from ${t} where budget_reset_at <= ${at.toISOString()}::timestamptz order by ${idCol} for update skip locked`,
  )) as unknown as DueRow[] | { rows: DueRow[] };
  const rows = Array.isArray(due) ? due : due.rows;
  // Rows due at the same next boundary are reset by one statement.
  const byNext = new Map<string | null, string[]>();
  for (const row of rows) {
    let next: string | null = null;
    try {
      next = row.budget_duration ? nextBudgetReset(row.budget_duration, at).toISOString() : null;
    } catch {
      next = null; // an invalid stored duration: reset once and stop resetting
    }
    const ids = byNext.get(next) ?? [];
    ids.push(row.id);
    byNext.set(next, ids);
  }
  for (const [next, ids] of byNext) {
    const list = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    await tx.execute(
      sql`update ${t} set spend_micros = 0, budget_reset_at = ${next}::timestamptz where ${idCol} in (${list})`,
    );
    for (const id of ids) onChange(id);
  }
  return rows.length;
}
