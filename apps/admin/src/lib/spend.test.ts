import { describe, expect, it } from 'vitest';
import { fillDays, lastDays, normaliseReport } from './spend.ts';

describe('normaliseReport', () => {
  it('reads a bare array of day rows and sorts by day', () => {
    const pts = normaliseReport(
      [
        { day: '2026-01-02', spend: 2, requests: 3 },
        { day: '2026-01-01', spend: '1.5', requests: 1 },
      ],
      'day',
    );
    expect(pts.map((p) => [p.id, p.spend, p.requests])).toEqual([
      ['2026-01-01', 1.5, 1],
      ['2026-01-02', 2, 3],
    ]);
  });

  it('reads wrapped rows, prefers a readable label, and sorts groups by spend', () => {
    const pts = normaliseReport(
      {
        data: [
          { api_key: 'h1', key_alias: 'small', total_spend: 1 },
          { api_key: 'h2', key_alias: null, key_name: 'sk-...abcd', total_spend: 5 },
        ],
      },
      'key',
    );
    expect(pts.map((p) => [p.id, p.label, p.spend])).toEqual([
      ['h2', 'sk-...abcd', 5],
      ['h1', 'small', 1],
    ]);
  });

  it('labels a missing group "(none)" (e.g. keys without a team)', () => {
    expect(normaliseReport([{ team_id: null, spend: 3 }], 'team')[0]?.label).toBe('(none)');
  });

  it('returns nothing for an unexpected answer', () => {
    expect(normaliseReport({ error: 'x' }, 'model')).toEqual([]);
    expect(normaliseReport(null, 'model')).toEqual([]);
  });
});

describe('days', () => {
  it('fillDays puts a zero on days without spend', () => {
    const pts = fillDays(
      [{ id: '2026-01-02T00:00:00Z', label: '', spend: 4, requests: 1, tokens: null }],
      '2026-01-01',
      '2026-01-03',
    );
    expect(pts.map((p) => [p.id, p.spend])).toEqual([
      ['2026-01-01', 0],
      ['2026-01-02T00:00:00Z', 4],
      ['2026-01-03', 0],
    ]);
  });

  it('lastDays includes today', () => {
    expect(lastDays(7, new Date('2026-03-10T15:00:00Z'))).toEqual({ start: '2026-03-04', end: '2026-03-10' });
  });
});
