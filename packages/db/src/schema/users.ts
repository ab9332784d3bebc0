import { boolean, index, pgTable, text } from 'drizzle-orm/pg-core';
import { budgetColumns, metadataColumn, timestampColumns } from './columns.ts';

export const users = pgTable(
  'users',
  {
    userId: text('user_id').primaryKey(),
    userEmail: text('user_email'),
    /** LiteLLM roles: proxy_admin | proxy_admin_viewer | internal_user | internal_user_viewer | ... */
    userRole: text('user_role').notNull().default('internal_user'),
    models: text('models').array().notNull().default([]),
    ...budgetColumns(),
    blocked: boolean('blocked').notNull().default(false),
    metadata: metadataColumn(),
    ...timestampColumns(),
    createdBy: text('created_by'),
  },
  (t) => [index('users_user_email_idx').on(t.userEmail), index('users_created_at_idx').on(t.createdAt)],
);

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
