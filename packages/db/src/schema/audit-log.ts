import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Every admin change, written in the change's own transaction. `before`/`after` never hold secrets. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** Key hash of the caller, or 'master'. */
    actor: text('actor').notNull(),
    /** e.g. key.generate, team.delete. */
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    before: jsonb('before').$type<Record<string, unknown> | null>(),
    after: jsonb('after').$type<Record<string, unknown> | null>(),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_object_idx').on(t.objectType, t.objectId, t.at),
    index('audit_log_actor_idx').on(t.actor, t.at),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
