import { z } from 'zod';

/**
 * The config file schema (SPEC section 2). Known keys are typed strictly; unknown keys are collected
 * as warnings by `unknownKeys` rather than refused, because LiteLLM configs carry many settings
 * Warden does not implement and a drop-in must still start.
 */
const num = z.number().finite();
const positive = num.positive();

export const litellmParamsSchema = z.looseObject({
  model: z
    .string()
    .min(1)
    .regex(/^[^/]+\/.+/, 'must be "provider/model", e.g. openai/gpt-4o-mini or mock/echo'),
  api_base: z.string().url().optional(),
  api_key: z.string().optional(),
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
  timeout: positive.optional(),
  stream_timeout: positive.optional(),
  input_cost_per_token: num.nonnegative().optional(),
  output_cost_per_token: num.nonnegative().optional(),
});

export const modelEntrySchema = z.looseObject({
  model_name: z.string().min(1),
  litellm_params: litellmParamsSchema.optional(),
  params: litellmParamsSchema.optional(),
  model_info: z.record(z.string(), z.unknown()).optional(),
});

export const generalSettingsSchema = z.looseObject({
  master_key: z.string().min(1).optional(),
  database_url: z.string().optional(),
  max_request_size_mb: positive.optional(),
  enforced_params: z.array(z.string().min(1)).optional(),
  enforce_user_param: z.boolean().optional(),
  service_account_settings: z
    .looseObject({ enforced_params: z.array(z.string().min(1)).optional() })
    .optional(),
  key_cache_ttl_seconds: positive.optional(),
});

export const routerSettingsSchema = z.looseObject({
  num_retries: z.number().int().min(0).max(10).optional(),
  timeout: positive.optional(),
  stream_timeout: positive.optional(),
  fallbacks: z.unknown().optional(),
  routing_strategy: z.unknown().optional(),
});

export const pluginEntrySchema = z.union([
  z.string().min(1),
  z.strictObject({ package: z.string().min(1), options: z.unknown().optional() }),
]);

export const configSchema = z.looseObject({
  model_list: z.array(modelEntrySchema).default([]),
  general_settings: generalSettingsSchema.default({}),
  router_settings: routerSettingsSchema.default({}),
  litellm_settings: z.record(z.string(), z.unknown()).default({}),
  policies: z.array(z.unknown()).default([]),
  plugins: z.array(pluginEntrySchema).default([]),
});

export type RawConfig = z.infer<typeof configSchema>;

/** Known keys per section, for the "unknown key" warnings. */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': [
    'model_list',
    'general_settings',
    'router_settings',
    'litellm_settings',
    'policies',
    'plugins',
    'environment_variables',
  ],
  general_settings: Object.keys(generalSettingsSchema.shape),
  router_settings: Object.keys(routerSettingsSchema.shape),
  litellm_params: Object.keys(litellmParamsSchema.shape),
  model_entry: [...Object.keys(modelEntrySchema.shape), 'model_id'],
};

/** Settings that are accepted (LiteLLM configs carry them) but not applied yet. */
export const NOT_APPLIED = [
  'router_settings.fallbacks',
  'router_settings.routing_strategy',
  'litellm_settings.drop_params',
];
