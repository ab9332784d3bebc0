import { BadRequestError } from '@warden/core';
import { isUniqueViolation } from '@warden/keys';

/**
 * Inserts a new team or user row. A taken id is the caller's mistake (400 naming `<kind>_id`), not
 * a 500; LiteLLM clients pass their own ids and retry with another.
 */
export async function insertOwner<Row>(
  kind: 'team' | 'user',
  id: string,
  insert: () => Promise<Row[]>,
): Promise<Row> {
  let rows: Row[];
  try {
    rows = await insert();
  } catch (err) {
    if (isUniqueViolation(err)) throw new BadRequestError(`${kind}_id already exists: ${id}`, `${kind}_id`);
    throw err;
  }
  const [row] = rows;
  if (!row) throw new Error('insert returned no row');
  return row;
}
