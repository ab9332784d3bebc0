import type { SpendRow } from './spend-row.ts';
import type { SpendStore } from './spend-store.ts';

/** Thrown by the memory store while it plays an unreachable database (a connection-level error). */
export class StoreUnavailableError extends Error {
  readonly code = 'ECONNREFUSED';
  constructor() {
    super('memory spend store is down');
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The in-memory twin of the Postgres store, with the same contract: idempotent by row id, totals
 * from inserted rows only, all-or-nothing per batch. `down = true` makes it behave like an
 * unreachable database; `refuse` plays a database that rejects particular rows (SQLSTATE 22xxx).
 */
export class MemorySpendStore implements SpendStore {
  readonly rows = new Map<string, SpendRow>();
  readonly keySpend = new Map<string, number>();
  readonly teamSpend = new Map<string, number>();
  readonly userSpend = new Map<string, number>();
  down = false;
  /** Rows for which this returns true are refused like invalid data. */
  refuse: ((row: SpendRow) => boolean) | null = null;
  /** Number of write calls, successful or not. */
  writes = 0;
  /** Sizes of the successful batches, in order. */
  readonly batches: number[] = [];

  async write(rows: readonly SpendRow[]): Promise<number> {
    this.writes++;
    if (this.down) throw new StoreUnavailableError();
    const refused = this.refuse === null ? undefined : rows.find(this.refuse);
    if (refused) throw Object.assign(new Error(`invalid row ${refused.id}`), { code: '22P02' });
    let inserted = 0;
    for (const row of rows) {
      if (this.rows.has(row.id)) continue;
      this.rows.set(row.id, row);
      inserted++;
      if (row.costMicros === 0) continue;
      if (row.keyHash !== null) add(this.keySpend, row.keyHash, row.costMicros);
      if (row.teamId !== null) add(this.teamSpend, row.teamId, row.costMicros);
      if (row.userId !== null) add(this.userSpend, row.userId, row.costMicros);
    }
    this.batches.push(rows.length);
    return inserted;
  }
}

function add(map: Map<string, number>, id: string, micros: number): void {
  map.set(id, (map.get(id) ?? 0) + micros);
}
