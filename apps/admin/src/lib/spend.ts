export type GroupBy = 'day' | 'key' | 'team' | 'model';

export interface SpendPoint {
  label: string;
  /** Stable id (key hash, team id, model name, or ISO day). */
  id: string;
  spend: number;
  requests: number | null;
  tokens: number | null;
}

const LABEL_FIELDS: Record<GroupBy, string[]> = {
  day: ['day', 'date', 'group_by_day', 'group', 'key'],
  key: ['key_alias', 'key_name', 'api_key', 'key', 'token', 'group'],
  team: ['team_alias', 'team_id', 'team', 'group'],
  model: ['model', 'model_group', 'group', 'key'],
};
const ID_FIELDS: Record<GroupBy, string[]> = {
  day: ['day', 'date', 'group_by_day', 'group', 'key'],
  key: ['api_key', 'token', 'key', 'key_name', 'group'],
  team: ['team_id', 'team', 'group'],
  model: ['model', 'model_group', 'group', 'key'],
};

function pick(row: Record<string, unknown>, fields: string[]): string | null {
  for (const f of fields) {
    const v = row[f];
    if (typeof v === 'string' && v) return v;
    if (typeof v === 'number') return String(v);
  }
  return null;
}

function num(row: Record<string, unknown>, fields: string[]): number | null {
  for (const f of fields) {
    const v = row[f];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return null;
}

/**
 * Normalise a `/spend/report` answer (already grouped in SQL by the gateway) into chart points.
 * Tolerates the row field names LiteLLM-style reports use; rows with no group become "(none)", e.g.
 * spend of keys without a team.
 */
export function normaliseReport(payload: unknown, groupBy: GroupBy): SpendPoint[] {
  const rows: unknown[] = Array.isArray(payload)
    ? payload
    : payload && typeof payload === 'object'
      ? (((['data', 'report', 'rows', 'results'] as const)
          .map((f) => (payload as Record<string, unknown>)[f])
          .find(Array.isArray) as unknown[] | undefined) ?? [])
      : [];
  const points = rows
    .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object')
    .map((r) => {
      const id = pick(r, ID_FIELDS[groupBy]) ?? '';
      const label = pick(r, LABEL_FIELDS[groupBy]) ?? id;
      return {
        id,
        label: label || '(none)',
        spend: num(r, ['spend', 'total_spend', 'cost']) ?? 0,
        requests: num(r, ['requests', 'request_count', 'api_requests', 'count']),
        tokens: num(r, ['total_tokens', 'tokens']),
      };
    });
  if (groupBy === 'day') return points.sort((a, b) => a.id.localeCompare(b.id));
  return points.sort((a, b) => b.spend - a.spend);
}

/** Every day in [start, end] (ISO yyyy-mm-dd), with 0 for days that had no spend, so gaps are visible. */
export function fillDays(points: SpendPoint[], start: string, end: string): SpendPoint[] {
  const byDay = new Map(points.map((p) => [p.id.slice(0, 10), p]));
  const out: SpendPoint[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  const last = new Date(`${end}T00:00:00Z`);
  while (d <= last && out.length < 400) {
    const day = d.toISOString().slice(0, 10);
    out.push(byDay.get(day) ?? { id: day, label: day, spend: 0, requests: 0, tokens: 0 });
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** [start, end] ISO days for "the last N days", today included. */
export function lastDays(n: number, today = new Date()): { start: string; end: string } {
  const end = today.toISOString().slice(0, 10);
  const s = new Date(today);
  s.setUTCDate(s.getUTCDate() - (n - 1));
  return { start: s.toISOString().slice(0, 10), end };
}
