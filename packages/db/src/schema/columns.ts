import { bigint, integer, jsonb, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Column groups shared by keys, teams and users. Money is integer micro-dollars (1 USD = 1_000_000);
 * `mode: 'number'` is safe up to 9e15 micro-dollars (9 billion dollars).
 */
export const budgetColumns = () => ({
  maxBudgetMicros: bigint('max_budget_micros', { mode: 'number' }),
  budgetDuration: text('budget_duration'),
  budgetResetAt: timestamp('budget_reset_at', { withTimezone: true }),
  spendMicros: bigint('spend_micros', { mode: 'number' }).notNull().default(0),
  rpmLimit: integer('rpm_limit'),
  tpmLimit: integer('tpm_limit'),
  maxParallelRequests: integer('max_parallel_requests'),
});

export const timestampColumns = () => ({
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const metadataColumn = () => jsonb('metadata').$type<Record<string, unknown>>().notNull().default({});
