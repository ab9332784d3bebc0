import { describe, expect, it } from 'vitest';
import { formatPolicyBench, runPolicyBench } from './policy-bench.ts';

// A smoke test: the benchmark runs and prints its table. It never asserts speed.
describe('policy bench', () => {
  it('runs with few iterations and reports one row per rule count', () => {
    const rows = runPolicyBench({ iterations: 20 });
    expect(rows.map((r) => r.rules)).toEqual([1, 10, 100]);
    for (const r of rows) {
      expect(r.iterations).toBeGreaterThan(0);
      expect(Number.isFinite(r.compiledUs) && r.compiledUs > 0).toBe(true);
      expect(Number.isFinite(r.jsonLogicUs) && r.jsonLogicUs > 0).toBe(true);
      expect(r.ratio).toBeCloseTo(r.jsonLogicUs / r.compiledUs);
    }
    const table = formatPolicyBench(rows).split('\n');
    expect(table).toHaveLength(5);
    expect(table[0]).toMatch(/rules\s+iterations\s+compiled µs\/req\s+jsonLogic\.apply µs\/req\s+ratio/);
    expect(table[4]).toMatch(/^\s*100\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+x$/);
  });
});
