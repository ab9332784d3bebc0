import type { Database, Tx } from '@warden/db';
import { spendLogs } from '@warden/db';
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { SpendRow } from './spend-row.ts';
import type { SpendStore } from './spend-store.ts';

/** Which table and primary key each total lives on (column names are the db package's contract). */
const TOTALS = [
  { table: 'keys', id: 'token', pick: (r: Inserted) => r.keyHash },
  { table: 'teams', id: 'team_id', pick: (r: Inserted) => r.teamId },
  { table: 'users', id: 'user_id', pick: (r: Inserted) => r.userId },
] as const;

const INSERT_CHUNK = 1000;

interface Inserted {
  id: string;
  keyHash: string | null;
  teamId: string | null;
  userId: string | null;
  costMicros: number;
}

/**
 * The Postgres (drizzle) store, on PGlite and on postgres.js alike: one transaction per batch that
 * inserts with `ON CONFLICT (id) DO NOTHING RETURNING ...` and adds the returned rows' cost to the
 * totals. Rows already present (a batch replayed after an unconfirmed commit) return nothing, so
 * they are never counted twice.
 */
export class PostgresSpendStore implements SpendStore {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  write(rows: readonly SpendRow[]): Promise<number> {
    if (rows.length === 0) return Promise.resolve(0);
    return this.#database.db.transaction(async (tx) => {
      const inserted: Inserted[] = [];
      // Postgres allows 65,535 bind parameters per statement: at 24 columns, 1,000 rows stay well under.
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        const returned = await tx
          .insert(spendLogs)
          .values(chunk.map(toInsert))
          .onConflictDoNothing({ target: spendLogs.id })
          .returning({
            id: spendLogs.id,
            keyHash: spendLogs.keyHash,
            teamId: spendLogs.teamId,
            userId: spendLogs.userId,
            costMicros: spendLogs.costMicros,
          });
        inserted.push(...returned);
      }
      for (const total of TOTALS) await addTotals(tx, total.table, total.id, sums(inserted, total.pick));
      return inserted.length;
    });
  }
}

function toInsert(row: SpendRow): typeof spendLogs.$inferInsert {
  return { ...row, startedAt: new Date(row.startedAt) };
}

function sums(rows: readonly Inserted[], pick: (r: Inserted) => string | null): [string, number][] {
  const out = new Map<string, number>();
  for (const row of rows) {
    const id = pick(row);
    if (id === null || row.costMicros === 0) continue;
    out.set(id, (out.get(id) ?? 0) + Number(row.costMicros));
  }
  // A fixed order, so that replicas updating the same totals lock rows in the same order (no deadlock).
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

async function addTotals(
  tx: Tx,
  table: string,
  idColumn: string,
  entries: [string, number][],
): Promise<void> {
  if (entries.length === 0) return;
  const values: SQL = sql.join(
    entries.map(([id, micros]) => sql`(${id}::text, ${micros}::bigint)`),
    sql`, `,
  );
  const t = sql.identifier(table);
  const idCol = sql.identifier(idColumn);
  await tx.execute(
    sql`update ${t} set spend_micros = ${t}.spend_micros + v.micros from (values ${values}) as v(id, micros) where ${t}.${idCol} = v.id`,
  );
}
