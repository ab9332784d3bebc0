import type { Database } from '@warden/db';
import { policies } from '@warden/db';
import type { PolicyDocument } from '@warden/policy';
import { asc } from 'drizzle-orm';

/**
 * NOTIFY channel for API policy changes (payload: the policy name). The gateway listens on every
 * replica and reloads `loadApiPolicies` into its engine (`engine.setApiPolicies`); on a listener reset
 * it should reload as well.
 */
export const POLICIES_CHANNEL = 'warden_policies';

/** API-managed policies in creation order (SPEC 6: they run after config policies, oldest first). */
export async function loadApiPolicies(database: Database): Promise<PolicyDocument[]> {
  const rows = await database.db.select().from(policies).orderBy(asc(policies.createdAt), asc(policies.id));
  return rows.map((r) => r.document as unknown as PolicyDocument);
}
