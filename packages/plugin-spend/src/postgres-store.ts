import type { Database, Tx } from '@warden/db';
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

/**
 * Rows per statement: bounds the size of one jsonb parameter. The same on PGlite: it runs in its
 * own worker thread (see @warden/db), so a big statement no longer stalls requests, and splitting
 * it would only add the ~250 µs fixed cost per statement. Other queries wait for the whole
 * transaction either way (PGlite is one connection).
 */
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
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = i === 0 && rows.length <= INSERT_CHUNK ? rows : rows.slice(i, i + INSERT_CHUNK);
        const returned = (await tx.execute(
          sql`insert into spend_logs (${COLUMN_LIST}) select ${COLUMN_LIST} from jsonb_to_recordset(${toJson(chunk)}::jsonb) as r(${RECORD_TYPES}) on conflict (id) do nothing returning id, key_hash, team_id, user_id, cost_micros`,
        )) as unknown as ReturnedRow[] | { rows: ReturnedRow[] };
        for (const r of Array.isArray(returned) ? returned : returned.rows) {
          inserted.push({
            id: r.id,
            keyHash: r.key_hash,
            teamId: r.team_id,
            userId: r.user_id,
            costMicros: Number(r.cost_micros),
          });
        }
      }
      for (const total of TOTALS) {
        await addTotals(tx, total.table, total.id, sums(inserted, total.pick));
      }
      return inserted.length;
    });
  }
}

interface ReturnedRow {
  id: string;
  key_hash: string | null;
  team_id: string | null;
  user_id: string | null;
  cost_micros: number | string | bigint;
}

/**
 * `spend_logs` columns (the db package's contract) with their SQL types. The batch goes to the
 * database as ONE jsonb parameter expanded by `jsonb_to_recordset`: a multi-row VALUES through the
 * query builder cost ~12,000 bind parameters per 500-row batch, and building and parsing those was
 * the largest CPU cost of the whole gateway under load (the spend writer shares the request core).
 */
const COLUMNS: ReadonlyArray<readonly [keyof SpendRow, string, string]> = [
  ['id', 'id', 'uuid'],
  ['requestId', 'request_id', 'text'],
  ['keyHash', 'key_hash', 'text'],
  ['teamId', 'team_id', 'text'],
  ['userId', 'user_id', 'text'],
  ['model', 'model', 'text'],
  ['deploymentId', 'deployment_id', 'text'],
  ['providerModel', 'provider_model', 'text'],
  ['promptTokens', 'prompt_tokens', 'integer'],
  ['completionTokens', 'completion_tokens', 'integer'],
  ['totalTokens', 'total_tokens', 'integer'],
  ['costMicros', 'cost_micros', 'bigint'],
  ['status', 'status', 'integer'],
  ['stream', 'stream', 'boolean'],
  ['usageEstimated', 'usage_estimated', 'boolean'],
  ['unpriced', 'unpriced', 'boolean'],
  ['aborted', 'aborted', 'boolean'],
  ['errorType', 'error_type', 'text'],
  ['startedAt', 'started_at', 'timestamptz'],
  ['durationMs', 'duration_ms', 'integer'],
  ['ttfbMs', 'ttfb_ms', 'integer'],
  ['metadata', 'metadata', 'jsonb'],
];
const COLUMN_LIST = sql.raw(COLUMNS.map(([, col]) => col).join(', '));
const RECORD_TYPES = sql.raw(COLUMNS.map(([, col, type]) => `${col} ${type}`).join(', '));

/** The rows as a JSON array keyed by column name; times as ISO strings (millisecond precision kept). */
function toJson(rows: readonly SpendRow[]): string {
  const out = new Array<Record<string, unknown>>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const o: Record<string, unknown> = {};
    for (const [field, col] of COLUMNS) o[col] = row[field];
    o.started_at = new Date(row.startedAt).toISOString();
    out[i] = o;
  }
  return JSON.stringify(out);
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
