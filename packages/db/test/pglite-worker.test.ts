import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messages, PGlite, type QueryOptions, types } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.ts';
import { openPgliteWorker } from '../src/open-pglite-worker.ts';
import { wrapPglite } from '../src/pglite.ts';
import type { PgliteClient } from '../src/pglite-client.ts';
import type { PgliteWorkerClient } from '../src/pglite-worker-client.ts';

// The worker client must be indistinguishable from in-process PGlite for what drizzle and Warden
// call: every result and error below is compared with the same call on a PGlite in this thread.

const DDL = `
  create table t (
    id bigint primary key,
    at timestamptz not null,
    doc jsonb,
    note text,
    big bigint,
    raw bytea,
    tags text[]
  );
  create table parent (id text primary key);
  create table child (id text primary key, parent_id text not null references parent(id));
`;
/** drizzle-orm 0.45's pglite driver passes these (identity parsers: it maps dates itself). */
const identity = (v: string) => v;
const DRIZZLE_PARSERS = {
  [types.TIMESTAMP]: identity,
  [types.TIMESTAMPTZ]: identity,
  [types.INTERVAL]: identity,
  [types.DATE]: identity,
  1231: identity,
  1115: identity,
  1185: identity,
  1187: identity,
  1182: identity,
};

let local: PGlite;
let worker: PgliteWorkerClient;

/** Runs `fn` on both clients and returns [in-process, worker]. */
async function both<T>(fn: (client: PgliteClient) => Promise<T>): Promise<[T, T]> {
  return [await fn(local), await fn(worker)];
}

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a failure');
}

/** The fields callers read from a Postgres error (keys/db-errors.ts, plugin-spend/spend-store.ts). */
const pgFields = (e: Record<string, unknown>) => {
  const { message, code, detail, constraint, table, schema, severity, routine, name, query, params } = e;
  return { message, code, detail, constraint, table, schema, severity, routine, name, query, params };
};

beforeAll(async () => {
  [local, worker] = await Promise.all([PGlite.create(), openPgliteWorker()]);
  await both((c) => c.exec(DDL));
  const at = new Date('2024-05-06T07:08:09.123Z');
  await both((c) =>
    c.query('insert into t values ($1, $2, $3, $4, $5, $6, $7), ($8, $9, null, null, null, null, null)', [
      1,
      at,
      { a: [1, 'x'], n: null },
      "it's",
      2n ** 60n,
      new Uint8Array([0, 1, 255]),
      ['a', 'b c'],
      2,
      '2024-01-01 00:00:00+00',
    ]),
  );
});
afterAll(async () => {
  await local?.close();
  await worker?.close();
});

describe('pglite worker client', () => {
  it('returns the same result as in-process PGlite, in object and array row mode', async () => {
    const text = 'select id, at, doc, note, big, raw, tags, id as id from t order by id';
    for (const options of [
      undefined,
      { rowMode: 'object' },
      { rowMode: 'array' },
      { rowMode: 'array', parsers: DRIZZLE_PARSERS },
      { rowMode: 'object', parsers: DRIZZLE_PARSERS },
    ] as (QueryOptions | undefined)[]) {
      const [a, b] = await both((c) => c.query(text, [], options));
      expect(b).toEqual(a);
    }
    const [, array] = await both((c) =>
      c.query<unknown[]>(text, [], { rowMode: 'array', parsers: DRIZZLE_PARSERS }),
    );
    expect(array.rows[0]).toEqual([
      1,
      '2024-05-06 07:08:09.123+00',
      { a: [1, 'x'], n: null },
      "it's",
      2n ** 60n,
      new Uint8Array([0, 1, 255]),
      ['a', 'b c'],
      1,
    ]);
    expect(array.fields.map((f) => f.dataTypeID)).toEqual([20, 1184, 3802, 25, 20, 17, 1009, 20]);
  });

  it("runs the caller's parsers where PGlite would (non-null values, last duplicate name wins)", async () => {
    // PGlite calls parsers with (text, oid); its ParserOptions type only declares (text).
    const parsers = { [types.INT8]: ((v: string, oid: number) => `${oid}:${v}`) as (v: string) => string };
    const text = `select 5::bigint as x, null::bigint as n, 'a'::text as x2, 7::bigint as x2`;
    for (const rowMode of ['object', 'array'] as const) {
      const [a, b] = await both((c) => c.query(text, [], { rowMode, parsers }));
      expect(b).toEqual(a);
    }
    expect((await worker.query(text, [], { parsers })).rows).toEqual([{ x: '20:5', n: null, x2: '20:7' }]);
  });

  it('returns exec results (several statements) and affected row counts like PGlite', async () => {
    const text = `update t set note = note where id = 2; select count(*)::int as n from t; delete from t where id = 99`;
    const [a, b] = await both((c) => c.exec(text));
    expect(b).toEqual(a);
    expect(b.map((r) => r.affectedRows)).toEqual([1, 1, 1]);
  });

  it('refuses query options that cannot cross threads instead of ignoring them', async () => {
    await expect(worker.query('select $1', [1], { serializers: { 23: String } })).rejects.toThrow(
      /serializers/,
    );
  });

  it('returns Postgres errors with the same message, code, constraint and query', async () => {
    const text = 'insert into t (id, at) values ($1, now())';
    const [a, b] = await both((c) => failure(c.query(text, [1])));
    expect(b).toBeInstanceOf(messages.DatabaseError);
    expect(pgFields(b)).toEqual(pgFields(a));
    expect(b).toMatchObject({ code: '23505', constraint: 't_pkey', query: text, params: [1] });

    const fk = await both((c) => failure(c.query(`insert into child values ('c', 'nope')`)));
    expect(pgFields(fk[1])).toEqual(pgFields(fk[0]));
    expect(fk[1]).toMatchObject({ code: '23503', constraint: 'child_parent_id_fkey' });

    const syntax = await both((c) => failure(c.exec('selec 1')));
    expect(pgFields(syntax[1])).toEqual(pgFields(syntax[0]));
    expect(syntax[1].code).toBe('42601');
    const bad = await both((c) => failure(c.query('select $1::boolean', [{}])));
    expect(bad[1]).toMatchObject({ message: bad[0].message, name: bad[0].name });
  });

  it('commits a transaction when its callback resolves, with its statements run inside it', async () => {
    const result = await worker.transaction(async (tx) => {
      await tx.query(`insert into parent values ('p1')`);
      const inside = await tx.query<{ n: number }>('select count(*)::int as n from parent');
      return inside.rows[0]!.n;
    });
    expect(result).toBe(1);
    expect((await worker.query('select id from parent')).rows).toEqual([{ id: 'p1' }]);
  });

  it('rolls back when the callback throws and rethrows the same error', async () => {
    const boom = new Error('boom');
    const thrown = await failure(
      worker.transaction(async (tx) => {
        await tx.query(`insert into parent values ('p2')`);
        const dup = await failure(tx.query(`insert into parent values ('p1')`));
        expect(dup.code).toBe('23505');
        throw boom;
      }),
    );
    expect(thrown).toBe(boom);
    expect((await worker.query('select id from parent order by id')).rows).toEqual([{ id: 'p1' }]);
  });

  it('reports a COMMIT of an aborted transaction (25P02) as PGlite does, and closes the handle', async () => {
    let handle: { query(text: string): Promise<unknown> } | undefined;
    const [a, b] = await both((c) =>
      failure(
        c.transaction(async (tx) => {
          handle = tx;
          await failure(tx.query('select 1/0'));
        }),
      ),
    );
    expect(pgFields(b)).toEqual(pgFields(a));
    expect(b.code).toBe('25P02');
    await expect(handle!.query('select 1')).rejects.toThrow('Transaction is closed');
  });

  it('rolls back explicitly with tx.rollback()', async () => {
    await worker.transaction(async (tx) => {
      await tx.query(`insert into parent values ('p3')`);
      await tx.rollback();
      expect(tx.closed).toBe(true);
    });
    expect((await worker.query(`select id from parent where id = 'p3'`)).rows).toEqual([]);
  });

  it('makes a statement outside a transaction wait until the transaction has ended', async () => {
    const events: string[] = [];
    let outside: Promise<unknown> | undefined;
    await worker.transaction(async (tx) => {
      await tx.query(`insert into parent values ('p4')`);
      outside = worker.query<{ n: number }>('select count(*)::int as n from parent').then((r) => {
        events.push(`outside saw ${r.rows[0]!.n}`);
      });
      await new Promise((r) => setTimeout(r, 50));
      await tx.query(`insert into parent values ('p5')`);
      events.push('tx done');
    });
    await outside;
    expect(events).toEqual(['tx done', 'outside saw 3']);
  });

  it('delivers notifications to listeners until they unlisten', async () => {
    const got: string[] = [];
    const unlisten = await worker.listen('worker_test', (payload) => got.push(payload));
    await worker.query(`select pg_notify('worker_test', 'one')`);
    expect(got).toEqual(['one']); // delivered before the statement's own answer, as in-process
    await worker.transaction(async (tx) => {
      await tx.query(`select pg_notify('worker_test', 'two')`);
      expect(got).toEqual(['one']);
    });
    expect(got).toEqual(['one', 'two']);
    await unlisten();
    await worker.query(`select pg_notify('worker_test', 'three')`);
    expect(got).toEqual(['one', 'two']);
  });

  it('runs drizzle through wrapPglite: typed rows, dates, notify inside a transaction', async () => {
    const database = await wrapPglite(worker, 'public', silentLogger);
    const rows = await database.db.execute(sql`select at, big from t where id = ${1}`);
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([
      { at: '2024-05-06 07:08:09.123+00', big: 2n ** 60n },
    ]);
    const got: string[] = [];
    await database.listen('drz', (p) => got.push(p));
    await database.db.transaction((tx) => database.notify('drz', 'hi', tx));
    expect(got).toEqual(['hi']);
    expect(await database.ping()).toBe(true);
  });
});

describe('pglite worker lifecycle', () => {
  /** A worker loaded from a dump starts in ~0.6 s; a fresh initdb takes ~2 s. */
  let dump: Blob;
  beforeAll(async () => {
    dump = await local.dumpDataDir('none');
  });
  it('close() lets pending calls finish, flushes to disk and stops the thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-worker-'));
    try {
      const client = await openPgliteWorker({ dataDir: dir });
      await client.exec('create table n (i int)');
      const pending = Array.from({ length: 20 }, (_, i) => client.query('insert into n values ($1)', [i]));
      const closed = client.close();
      await expect(client.query('select 1')).rejects.toThrow('PGlite is closed');
      expect((await Promise.all(pending)).map((r) => r.affectedRows)).toEqual(Array(20).fill(1));
      await closed;
      expect(client.alive).toBe(false);
      expect(client.worker.threadId).toBe(-1);
      await client.close(); // idempotent

      const again = await openPgliteWorker({ dataDir: dir });
      expect((await again.query('select count(*)::int as n from n')).rows).toEqual([{ n: 20 }]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets a transaction that is open when close() is called finish first', async () => {
    const client = await openPgliteWorker({ loadDataDir: dump });
    let closed: Promise<void> | undefined;
    const result = await client.transaction(async (tx) => {
      closed = client.close();
      await tx.query('select 1');
      return 'done';
    });
    expect(result).toBe('done');
    await closed;
    expect(client.alive).toBe(false);
  });

  it('a killed worker fails pending and later calls clearly, pings false and closes at once', async () => {
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (msg: string) => errors.push(msg) };
    const client = await openPgliteWorker({ loadDataDir: dump, logger });
    const database = await wrapPglite(client, 'public', logger);
    expect(await database.ping()).toBe(true);
    // A query that is surely still running when the worker dies (`select 1` may already be answered).
    const pending = client.query('select count(*) from generate_series(1, 200000000)');
    await client.worker.terminate();
    await expect(pending).rejects.toThrow(/embedded database worker stopped unexpectedly/);
    await expect(client.query('select 1')).rejects.toThrow(/stopped unexpectedly/);
    await expect(client.transaction(async () => 1)).rejects.toThrow(/stopped unexpectedly/);
    expect(client.alive).toBe(false);
    expect(await database.ping()).toBe(false);
    expect(errors).toEqual(['embedded database worker stopped']);
    const started = Date.now();
    await database.close();
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('a worker killed inside a transaction fails the transaction', async () => {
    const client = await openPgliteWorker({ loadDataDir: dump });
    await expect(
      client.transaction(async (tx) => {
        await tx.query('select 1');
        await client.worker.terminate();
        await tx.query('select 2');
      }),
    ).rejects.toThrow(/stopped unexpectedly/);
    await client.close();
  });

  it('reports a data directory it cannot open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-worker-'));
    try {
      writeFileSync(join(dir, 'pgdata'), 'a file where the directory should be');
      await expect(openPgliteWorker({ dataDir: dir })).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
