import { describe, expect, it } from 'vitest';
import { normalizeChecks } from './checks.ts';
import type { LimitCheck } from './types.ts';
import { limitCheck } from '../test/limit-check.ts';

const check = limitCheck;
const budget = { maxMicros: 1000, periodId: 'p', baseSpentMicros: 0 };

describe('normalizeChecks', () => {
  it('returns checks already in normal form as they are (no copy on the hot path)', () => {
    const checks = [check('key:a', { rpm: 10, tpm: 0 }), check('team:b', { maxParallel: 2, budget })];
    expect(normalizeChecks(checks)).toBe(checks);
    expect(normalizeChecks([])).toEqual([]);
  });

  const cases: Array<{ name: string; input: LimitCheck[]; expected: LimitCheck[] }> = [
    {
      name: 'drops a check that limits nothing',
      input: [check('key:a', {}), check('team:b', { rpm: 5 })],
      expected: [check('team:b', { rpm: 5 })],
    },
    {
      name: 'merges duplicates, keeping the tighter of each limit',
      input: [
        check('team:b', { rpm: 5, tpm: 100, budget }),
        check('team:b', { rpm: 9, maxParallel: 3, budget: { ...budget, maxMicros: 10 } }),
      ],
      expected: [check('team:b', { rpm: 5, tpm: 100, maxParallel: 3, budget: { ...budget, maxMicros: 10 } })],
    },
    {
      name: 'floors fractions; negative and infinite limits mean no limit',
      input: [check('key:a', { rpm: 2.7, tpm: -1, maxParallel: Number.POSITIVE_INFINITY })],
      expected: [check('key:a', { rpm: 2 })],
    },
    {
      name: 'an infinite budget is no budget',
      input: [check('key:a', { rpm: 1, budget: { ...budget, maxMicros: Number.POSITIVE_INFINITY } })],
      expected: [check('key:a', { rpm: 1 })],
    },
    {
      name: 'a missing (undefined) budget is no budget',
      input: [{ ...check('key:a', { rpm: 1 }), budget: undefined as unknown as null }],
      expected: [check('key:a', { rpm: 1 })],
    },
  ];
  for (const { name, input, expected } of cases) {
    it(name, () => {
      expect(normalizeChecks(input)).toEqual(expected);
    });
  }
});
