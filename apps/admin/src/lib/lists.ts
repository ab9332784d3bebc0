/**
 * The admin API returns LiteLLM-compatible list shapes, which are not uniform: some routes answer a
 * bare array, others wrap it (`{keys}`, `{teams}`, `{users}`, `{data}`, ...). Pages read lists only
 * through this helper so a shape difference is a one-line fix here, not a blank table.
 */
export function asList<T>(payload: unknown, ...fields: string[]): T[] {
  if (Array.isArray(payload)) return payload as T[];
  if (payload && typeof payload === 'object') {
    const obj = payload as Record<string, unknown>;
    for (const f of [...fields, 'data', 'items', 'results', 'rows']) {
      if (Array.isArray(obj[f])) return obj[f] as T[];
    }
  }
  return [];
}

/** Total row count from a paginated answer, when the route reports one. */
export function totalOf(payload: unknown): number | null {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const obj = payload as Record<string, unknown>;
  for (const f of ['total_count', 'total', 'count']) {
    if (typeof obj[f] === 'number') return obj[f] as number;
  }
  return null;
}
