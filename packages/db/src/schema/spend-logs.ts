import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** One row per request, written in batches by the spend plugin. Column names are a contract. */
export const spendLogs = pgTable(
  'spend_logs',
  {
    /** UUIDv7 made by the gateway, so a retried batch insert is idempotent (ON CONFLICT DO NOTHING). */
    id: uuid('id').primaryKey(),
    /** The client's x-request-id (or the generated one). */
    requestId: text('request_id').notNull(),
    keyHash: text('key_hash'),
    teamId: text('team_id'),
    userId: text('user_id'),
    /** Public model name (after key aliases). */
    model: text('model').notNull(),
    deploymentId: text('deployment_id'),
    providerModel: text('provider_model'),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    totalTokens: integer('total_tokens').notNull().default(0),
    costMicros: bigint('cost_micros', { mode: 'number' }).notNull().default(0),
    status: integer('status').notNull(),
    stream: boolean('stream').notNull().default(false),
    usageEstimated: boolean('usage_estimated').notNull().default(false),
    unpriced: boolean('unpriced').notNull().default(false),
    aborted: boolean('aborted').notNull().default(false),
    errorType: text('error_type'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    durationMs: integer('duration_ms').notNull().default(0),
    ttfbMs: integer('ttfb_ms'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('spend_logs_key_hash_started_at_idx').on(t.keyHash, t.startedAt),
    index('spend_logs_team_id_started_at_idx').on(t.teamId, t.startedAt),
    index('spend_logs_user_id_started_at_idx').on(t.userId, t.startedAt),
    index('spend_logs_model_started_at_idx').on(t.model, t.startedAt),
    index('spend_logs_started_at_idx').on(t.startedAt),
    index('spend_logs_request_id_idx').on(t.requestId),
  ],
);

export type SpendLogRow = typeof spendLogs.$inferSelect;
export type NewSpendLogRow = typeof spendLogs.$inferInsert;
