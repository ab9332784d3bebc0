import { jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Policies created through the admin API; config `policies:` are not stored. */
export const policies = pgTable(
  'policies',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
  },
  (t) => [uniqueIndex('policies_name_key').on(t.name)],
);

export type PolicyRow = typeof policies.$inferSelect;
