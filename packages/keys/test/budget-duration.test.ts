import { describe, expect, it } from 'vitest';
import { nextBudgetReset } from '../src/index.ts';

// Expected values follow LiteLLM's get_next_standardized_reset_time with timezone UTC.
describe('nextBudgetReset (LiteLLM-aligned, UTC)', () => {
  it.each([
    ['30s', '2026-03-10T10:07:13.500Z', '2026-03-10T10:07:30.000Z'],
    ['30s', '2026-03-10T10:07:30.000Z', '2026-03-10T10:08:00.000Z'],
    ['30s', '2026-03-10T23:59:45.000Z', '2026-03-11T00:00:00.000Z'],
    ['30m', '2026-03-10T10:07:13.000Z', '2026-03-10T10:30:00.000Z'],
    ['30m', '2026-03-10T23:45:00.000Z', '2026-03-11T00:00:00.000Z'],
    ['1h', '2026-03-10T10:07:13.000Z', '2026-03-10T11:00:00.000Z'],
    ['6h', '2026-03-10T07:00:00.000Z', '2026-03-10T12:00:00.000Z'],
    ['30h', '2026-03-10T05:00:00.000Z', '2026-03-11T06:00:00.000Z'],
    ['1d', '2026-03-10T10:07:13.000Z', '2026-03-11T00:00:00.000Z'],
    ['1d', '2026-03-10T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
    ['7d', '2026-03-10T10:00:00.000Z', '2026-03-16T00:00:00.000Z'], // Tuesday → next Monday
    ['7d', '2026-03-16T10:00:00.000Z', '2026-03-23T00:00:00.000Z'], // Monday → the Monday after
    ['7d', '2026-03-15T10:00:00.000Z', '2026-03-16T00:00:00.000Z'], // Sunday → tomorrow
    ['1w', '2026-03-10T10:00:00.000Z', '2026-03-16T00:00:00.000Z'],
    ['30d', '2026-03-10T10:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['30d', '2026-12-31T23:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2d', '2026-03-10T10:00:00.000Z', '2026-03-12T00:00:00.000Z'],
    ['1mo', '2026-01-31T10:00:00.000Z', '2026-02-01T00:00:00.000Z'],
    ['1mo', '2026-12-15T10:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['3mo', '2026-11-15T10:00:00.000Z', '2027-02-01T00:00:00.000Z'],
  ])('%s from %s → %s', (duration, from, expected) => {
    expect(nextBudgetReset(duration, new Date(from)).toISOString()).toBe(expected);
  });

  it('is always after `from`', () => {
    for (const d of ['1s', '7s', '1m', '45m', '1h', '5h', '24h', '1d', '3d', '7d', '30d', '1mo']) {
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2026, 0, 3); t += 3_599_999) {
        expect(
          nextBudgetReset(d, new Date(t)).getTime(),
          `${d} at ${new Date(t).toISOString()}`,
        ).toBeGreaterThan(t);
      }
    }
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', '0d', '1y', 'd', '-1d', '1.5h'])
      expect(() => nextBudgetReset(bad)).toThrow(/invalid budget_duration/);
  });
});
