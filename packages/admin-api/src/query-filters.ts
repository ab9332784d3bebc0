import type { Column, SQL } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import { queryString } from './validation.ts';

/**
 * List routes filter by exact match on optional query parameters (`?team_id=...`); one parameter
 * name → one column. Absent or empty parameters add no condition.
 */
export function exactMatchFilters(query: Record<string, unknown>, columns: Record<string, Column>): SQL[] {
  const filters: SQL[] = [];
  for (const [param, column] of Object.entries(columns)) {
    const value = queryString(query[param]);
    if (value) filters.push(eq(column, value));
  }
  return filters;
}
