import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { teams } from './teams.ts';

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.teamId, { onDelete: 'cascade' }),
    /** A free reference, as in LiteLLM: no users row is required. */
    userId: text('user_id').notNull(),
    /** LiteLLM's member roles: admin | user. */
    role: text('role').notNull().default('user'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user_id_idx').on(t.userId)],
);

export type TeamMemberRow = typeof teamMembers.$inferSelect;
