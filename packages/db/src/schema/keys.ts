import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { budgetColumns, metadataColumn, timestampColumns } from './columns.ts';
import { teams } from './teams.ts';

/**
 * Virtual keys. The raw key is never stored: `token` is the SHA-256 hex of the whole `sk-...` string
 * (the same as LiteLLM, so imported hashes stay valid). Owner type is computed, never stored.
 */
export const keys = pgTable(
  'keys',
  {
    token: text('token').primaryKey(),
    /** `sk-...abcd`: display only. */
    keyName: text('key_name').notNull(),
    keyAlias: text('key_alias'),
    /** A free reference: no users row is required. */
    userId: text('user_id'),
    // Keys are deleted explicitly (and audited) before their team, so no cascade here.
    teamId: text('team_id').references(() => teams.teamId),
    /** LiteLLM's route preset: llm_api | management | read_only | default. */
    keyType: text('key_type').notNull().default('default'),
    models: text('models').array().notNull().default([]),
    aliases: jsonb('aliases').$type<Record<string, string>>().notNull().default({}),
    ...budgetColumns(),
    expires: timestamp('expires', { withTimezone: true }),
    blocked: boolean('blocked').notNull().default(false),
    metadata: metadataColumn(),
    enforcedParams: text('enforced_params').array().notNull().default([]),
    allowedRoutes: text('allowed_routes').array().notNull().default([]),
    ...timestampColumns(),
    createdBy: text('created_by'),
  },
  (t) => [
    uniqueIndex('keys_key_alias_key').on(t.keyAlias),
    index('keys_team_id_idx').on(t.teamId),
    index('keys_user_id_idx').on(t.userId),
    index('keys_created_at_idx').on(t.createdAt),
  ],
);

export type KeyRow = typeof keys.$inferSelect;
export type NewKeyRow = typeof keys.$inferInsert;
