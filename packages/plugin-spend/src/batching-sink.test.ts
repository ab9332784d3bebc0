import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '@warden/core';
import { describe, expect, it } from 'vitest';
import { makeRow, until } from '../test/make-row.ts';
import { createMemorySpendSink } from './memory-sink.ts';
import { MemorySpendStore } from './memory-store.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'warden-spend-'));
const spills = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('spend-spill-'));

describe('BatchingSpendSink', () => {
  it('writes in batches of at most batchSize, in push order', async () => {
    const sink = createMemorySpendSink({ batchSize: 500 });
    const rows = Array.from({ length: 1200 }, () => makeRow());
    for (const row of rows) sink.push(row);
    await sink.flush();
    expect(sink.store.batches.reduce((a, b) => a + b, 0)).toBe(1200);
    expect(Math.max(...sink.store.batches)).toBeLessThanOrEqual(500);
    expect([...sink.store.rows.keys()]).toEqual(rows.map((r) => r.id));
    expect(sink.stats()).toMatchObject({ queued: 0, written: 1200, failed: 0, spilled: 0 });
    await sink.close();
  });

  it('writes a lone row within the flush interval without an explicit flush', async () => {
    const sink = createMemorySpendSink({ flushIntervalMs: 50 });
    const started = Date.now();
    sink.push(makeRow());
    sink.push(makeRow());
    expect(sink.store.rows.size).toBe(0);
    await until(() => sink.store.rows.size === 2);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(sink.store.batches).toEqual([2]);
    await sink.close();
  });

  it('refuses a flush interval above 500 ms', () => {
    expect(() => createMemorySpendSink({ flushIntervalMs: 501 })).toThrow(RangeError);
  });

  it('counts a row pushed twice once, in rows and totals', async () => {
    const sink = createMemorySpendSink();
    const row = makeRow({ costMicros: 1000, teamId: 't1', userId: 'u1' });
    sink.push(row);
    await sink.flush();
    sink.push(row);
    await sink.flush();
    expect(sink.store.rows.size).toBe(1);
    expect(sink.store.keySpend.get(row.keyHash!)).toBe(1000);
    expect(sink.store.teamSpend.get('t1')).toBe(1000);
    expect(sink.store.userSpend.get('u1')).toBe(1000);
    await sink.close();
  });

  it('keeps rows in memory while the store is down and writes each once when it returns', async () => {
    const store = new MemorySpendStore();
    const sink = createMemorySpendSink({ store, flushIntervalMs: 20, retryBaseMs: 10, retryMaxMs: 40 });
    store.down = true;
    const rows = Array.from({ length: 50 }, () => makeRow());
    for (const row of rows.slice(0, 25)) sink.push(row);
    await expect(sink.flush()).rejects.toThrow(/down/);
    for (const row of rows.slice(25)) sink.push(row);
    expect(sink.stats()).toMatchObject({ queued: 50, healthy: false, written: 0 });
    await new Promise((r) => setTimeout(r, 150));
    expect(store.writes).toBeGreaterThan(2); // retried with backoff
    store.down = false;
    await until(() => sink.stats().queued === 0);
    expect(sink.stats()).toMatchObject({ written: 50, healthy: true, failed: 0 });
    expect([...store.rows.keys()]).toEqual(rows.map((r) => r.id));
    await sink.close();
  });

  it('spills past the memory bound and replays the spill once the store is back', async () => {
    const dir = tmp();
    const store = new MemorySpendStore();
    const sink = createMemorySpendSink({
      store,
      dataDir: dir,
      batchSize: 10,
      maxQueued: 100,
      retryBaseMs: 10,
      retryMaxMs: 20,
    });
    store.down = true;
    const rows = Array.from({ length: 250 }, () => makeRow());
    for (const row of rows) sink.push(row);
    await until(() => sink.stats().spilled >= 200);
    expect(sink.stats().queued).toBeLessThan(100);
    expect(spills(dir)).toHaveLength(1);
    store.down = false;
    await until(() => sink.stats().queued === 0 && sink.stats().pendingSpillFiles === 0);
    expect(store.rows.size).toBe(250);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(store.rows.keys()));
    expect(spills(dir)).toHaveLength(0);
    expect(sink.stats().failed).toBe(0);
    await sink.close();
  });

  it('survives two outages in a row, each spilling and replaying its own file', async () => {
    const dir = tmp();
    const store = new MemorySpendStore();
    const sink = createMemorySpendSink({
      store,
      dataDir: dir,
      batchSize: 10,
      maxQueued: 50,
      retryBaseMs: 5,
      retryMaxMs: 10,
    });
    const all: string[] = [];
    for (let outage = 0; outage < 2; outage++) {
      store.down = true;
      for (let i = 0; i < 120; i++) {
        const row = makeRow();
        all.push(row.id);
        sink.push(row);
      }
      await until(() => sink.stats().spilled >= 100 * (outage + 1));
      store.down = false;
      await until(() => sink.stats().queued === 0 && sink.stats().pendingSpillFiles === 0);
    }
    expect(store.rows.size).toBe(240);
    expect(new Set(store.rows.keys())).toEqual(new Set(all));
    expect(spills(dir)).toHaveLength(0);
    await sink.close();
  });

  it('spills at close with the store down; a new sink replays the file and removes it', async () => {
    const dir = tmp();
    const down = new MemorySpendStore();
    down.down = true;
    const first = createMemorySpendSink({ store: down, dataDir: dir });
    const rows = Array.from({ length: 30 }, (_, i) => makeRow({ costMicros: i + 1, teamId: 'team' }));
    for (const row of rows) first.push(row);
    await first.close({ timeoutMs: 500 });
    expect(first.stats()).toMatchObject({ spilled: 30, failed: 0, queued: 0 });
    const [file] = spills(dir);
    expect(readFileSync(join(dir, file!), 'utf8').trim().split('\n')).toHaveLength(30);
    // A row pushed after close is not lost either.
    first.push(makeRow({ id: rows[0]!.id }));

    const store = new MemorySpendStore();
    const second = createMemorySpendSink({ store, dataDir: dir });
    expect(second.stats().pendingSpillFiles).toBe(1);
    await until(() => second.stats().pendingSpillFiles === 0);
    expect(store.rows.size).toBe(30);
    expect(store.teamSpend.get('team')).toBe((30 * 31) / 2); // the duplicate counted once
    expect(second.stats().replayed).toBe(31);
    expect(spills(dir)).toHaveLength(0);
    await second.close();
  });

  it('a close that cannot answer in time spills the in-flight batch too', async () => {
    const dir = tmp();
    const hanging = { write: () => new Promise<number>(() => {}) };
    const { BatchingSpendSink } = await import('./batching-sink.ts');
    const sink = new BatchingSpendSink({ store: hanging, dataDir: dir, batchSize: 5 });
    for (let i = 0; i < 12; i++) sink.push(makeRow());
    await sink.close({ timeoutMs: 100 });
    expect(sink.stats().spilled).toBe(12);
    const [file] = spills(dir);
    expect(readFileSync(join(dir, file!), 'utf8').trim().split('\n')).toHaveLength(12);
  });

  it('isolates a row the database refuses: the others land, it is counted and logged', async () => {
    const logger = createMemoryLogger();
    const store = new MemorySpendStore();
    const bad = makeRow({ model: 'bad' });
    store.refuse = (row) => row.model === 'bad';
    const sink = createMemorySpendSink({ store, logger });
    const good = [makeRow(), makeRow()];
    sink.push(good[0]!);
    sink.push(bad);
    sink.push(good[1]!);
    await sink.flush();
    expect([...store.rows.keys()]).toEqual(good.map((r) => r.id));
    expect(sink.stats()).toMatchObject({ failed: 1, written: 2, queued: 0, healthy: true });
    const errors = logger.lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].row.id).toBe(bad.id);
    await sink.close();
  });

  it('without a data dir, rows that cannot be written at close are counted and logged', async () => {
    const logger = createMemoryLogger();
    const store = new MemorySpendStore();
    store.down = true;
    const sink = createMemorySpendSink({ store, logger });
    sink.push(makeRow());
    sink.push(makeRow());
    await sink.close({ timeoutMs: 200 });
    expect(sink.stats().failed).toBe(2);
    expect(logger.lines.filter((l) => JSON.parse(l).level === 'error')).toHaveLength(2);
  });

  it('counts a torn spill line as failed and replays the rest', async () => {
    const dir = tmp();
    const row = makeRow();
    writeFileSync(join(dir, 'spend-spill-elsewhere~1~1.jsonl'), `${JSON.stringify(row)}\n{"id":"tor`);
    const logger = createMemoryLogger();
    const sink = createMemorySpendSink({ dataDir: dir, logger });
    await until(() => sink.stats().pendingSpillFiles === 0);
    expect([...sink.store.rows.keys()]).toEqual([row.id]);
    expect(sink.stats().failed).toBe(1);
    expect(existsSync(join(dir, 'spend-spill-elsewhere~1~1.jsonl'))).toBe(false);
    await sink.close();
  });
});
