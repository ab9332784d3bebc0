import { z } from 'zod';

/** Owner types a policy can select on (SPEC 4). */
export const KEY_TYPES = ['user', 'service_account', 'team', 'admin'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** A json-logic expression; its operators and paths are checked by validatePolicy, not by zod. */
const logic = z.unknown();

const setAction = z.strictObject({
  /** Where to write, always inside `request` (e.g. `request.temperature`). */
  path: z.string().min(1),
  /** A literal JSON value. */
  value: z.unknown().optional(),
  /** Or a json-logic expression computed against the context (e.g. `{"var": "key.user_id"}`). */
  expr: logic.optional(),
  /** Only when the field is not present (missing, null or ""). */
  if_missing: z.boolean().optional(),
});

const clampAction = z.strictObject({
  path: z.string().min(1),
  min: z.number().optional(),
  max: z.number().optional(),
});

const rule = z.strictObject({
  id: z.string().min(1),
  description: z.string().optional(),
  /** Optional precondition: a falsy `when` skips the rule. */
  when: logic.optional(),
  /** Refuses the request when falsy. */
  require: logic.optional(),
  /** Refuses the request when truthy. */
  refuse: logic.optional(),
  /** Writes a request field. */
  set: setAction.optional(),
  /** Bounds a numeric request field (absent fields are left alone; use `set` with if_missing for a default). */
  clamp: clampAction.optional(),
  message: z.string().min(1).optional(),
  param: z.string().nullable().optional(),
  /** HTTP status of a refusal; 400 unless given. */
  status: z.int().min(400).max(499).optional(),
});

/** The policy document, the same in the config's `policies:` and in `/policy/new` (SPEC 6). */
export const policyDocumentSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** false keeps the policy stored but inactive. */
  enabled: z.boolean().optional(),
  /** Omitted = every key type. */
  key_types: z.array(z.enum(KEY_TYPES)).optional(),
  /** Team ids; omitted = every team (and keys without one). */
  teams: z.array(z.string().min(1)).optional(),
  /** Public model names after aliases; `*` globs. */
  models: z.array(z.string().min(1)).optional(),
  /** Routes without the `/v1` prefix (given with it, it is stripped); `*` globs. */
  routes: z.array(z.string().min(1)).optional(),
  rules: z.array(rule).min(1),
});

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type PolicyRule = PolicyDocument['rules'][number];
