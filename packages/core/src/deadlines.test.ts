import { describe, expect, it } from 'vitest';
import { Deadlines } from './deadlines.ts';

describe('Deadlines', () => {
  it('expires what is due (no earlier than its time), never what was deleted, and then stops ticking', async () => {
    const d = new Deadlines(40); // ticks every 10 ms
    const start = performance.now();
    const fired: Array<[string, number]> = [];
    const due = { at: start + 30, expire: () => fired.push(['due', performance.now() - start]) };
    const gone = { at: start + 30, expire: () => fired.push(['gone', 0]) };
    d.add(due);
    d.add(gone);
    d.delete(gone);
    await new Promise((r) => setTimeout(r, 120));
    expect(fired.map(([n]) => n)).toEqual(['due']);
    expect(fired[0]![1]).toBeGreaterThanOrEqual(30);
    expect(d.size).toBe(0);
  });
});
