import { nextBudgetReset } from '@warden/keys';
import type { z } from 'zod';
import { maxBudgetValue, type ownerFields, rateLimitValues } from './limit-fields.ts';

type OwnerInput = z.infer<z.ZodObject<typeof ownerFields>>;

/** The stored columns teams and users share (same names and types in both tables). */
export interface OwnerValues {
  models?: string[];
  maxBudgetMicros?: number | null;
  budgetDuration?: string | null;
  budgetResetAt?: Date | null;
  rpmLimit?: number | null;
  tpmLimit?: number | null;
  maxParallelRequests?: number | null;
  blocked?: boolean;
  metadata?: Record<string, unknown>;
}

/**
 * Wire → storage for a team's or user's shared fields. Only fields present in the body are set.
 * Setting `budget_duration` starts a fresh budget window (keys do the same inside @warden/keys).
 */
export function ownerValues(body: OwnerInput): OwnerValues {
  const v: OwnerValues = { ...maxBudgetValue(body), ...rateLimitValues(body) };
  if (body.models !== undefined) v.models = body.models;
  if (body.budget_duration !== undefined) {
    v.budgetDuration = body.budget_duration;
    v.budgetResetAt = body.budget_duration ? nextBudgetReset(body.budget_duration) : null;
  }
  if (body.blocked !== undefined) v.blocked = body.blocked;
  if (body.metadata !== undefined) v.metadata = body.metadata;
  return v;
}
