import { z } from 'zod';
import { optionalMicros } from './money.ts';
import { duration, jsonObject, limit, money, stringList } from './validation.ts';

/**
 * The budget and rate-limit fields that keys, teams and users all accept. One definition, so the
 * three entities validate (and name in 400s) these fields identically. Callers spread these groups
 * in the same order as the wire objects, because zod reports the first failing field in shape order.
 */
export const budgetFields = {
  max_budget: money.nullable().optional(),
  budget_duration: duration.nullable().optional(),
};

export const rateLimitFields = {
  rpm_limit: limit.nullable().optional(),
  tpm_limit: limit.nullable().optional(),
  max_parallel_requests: limit.nullable().optional(),
};

/** What teams and users (the entities keys belong to) accept beyond their own identity fields. */
export const ownerFields = {
  models: stringList.optional(),
  ...budgetFields,
  ...rateLimitFields,
  blocked: z.boolean().optional(),
  metadata: jsonObject.optional(),
};

type RateLimitInput = z.infer<z.ZodObject<typeof rateLimitFields>>;

export interface RateLimitValues {
  rpmLimit?: number | null;
  tpmLimit?: number | null;
  maxParallelRequests?: number | null;
}

/** Wire → storage for the rate limits. Only fields present in the body are set (absent = unchanged). */
export function rateLimitValues(body: RateLimitInput): RateLimitValues {
  const v: RateLimitValues = {};
  if (body.rpm_limit !== undefined) v.rpmLimit = body.rpm_limit;
  if (body.tpm_limit !== undefined) v.tpmLimit = body.tpm_limit;
  if (body.max_parallel_requests !== undefined) v.maxParallelRequests = body.max_parallel_requests;
  return v;
}

/** Wire dollars → stored micro-dollars for `max_budget`; undefined when the body leaves it out. */
export function maxBudgetValue(body: { max_budget?: number | null | undefined }): {
  maxBudgetMicros?: number | null;
} {
  const micros = optionalMicros(body.max_budget);
  return micros === undefined ? {} : { maxBudgetMicros: micros };
}
