import { boolean, index, pgTable, text } from 'drizzle-orm/pg-core';
import { budgetColumns, metadataColumn, timestampColumns } from './columns.ts';

export const teams = pgTable(
  'teams',
  {
    teamId: text('team_id').primaryKey(),
    teamAlias: text('team_alias'),
    /** Allow-list for every key of the team; empty = every model. */
    models: text('models').array().notNull().default([]),
    ...budgetColumns(),
    blocked: boolean('blocked').notNull().default(false),
    metadata: metadataColumn(),
    ...timestampColumns(),
    createdBy: text('created_by'),
  },
  (t) => [index('teams_team_alias_idx').on(t.teamAlias), index('teams_created_at_idx').on(t.createdAt)],
);

export type TeamRow = typeof teams.$inferSelect;
export type NewTeamRow = typeof teams.$inferInsert;
