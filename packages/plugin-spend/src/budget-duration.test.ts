import { describe, expect, it } from 'vitest';
import { nextBudgetReset } from './budget-duration.ts';

const from = new Date('2026-11-29T23:31:15.500Z');

describe('nextBudgetReset', () => {
  it.each([
    ['30s', '2026-11-29T23:31:45.500Z'],
    ['30m', '2026-11-30T00:01:15.500Z'],
    ['2h', '2026-11-30T01:31:15.500Z'],
    ['1d', '2026-11-30T00:00:00.000Z'],
    ['7d', '2026-12-06T00:00:00.000Z'],
    ['1mo', '2026-12-01T00:00:00.000Z'],
    ['2mo', '2027-01-01T00:00:00.000Z'],
  ])('%s from %s', (duration, expected) => {
    expect(nextBudgetReset(duration, from).toISOString()).toBe(expected);
  });

  it('refuses what is not a LiteLLM duration', () => {
    for (const bad of ['', '0d', '1w', '1 d', 'mo'])
      expect(() => nextBudgetReset(bad, from)).toThrow(/budget_duration/);
  });
});
