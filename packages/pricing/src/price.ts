import type { Deployment, Usage } from '@warden/core';
import { lookupModelPrice } from './lookup.ts';

/** A resolved price in micro-dollars per token (fractions allowed: gpt-4o-mini input is 0.15). */
export interface Price {
  inputMicrosPerToken: number;
  outputMicrosPerToken: number;
}

/**
 * The price of a deployment: its `input_cost_per_token` / `output_cost_per_token` (dollars per token)
 * win over the built-in table; when only one side is overridden the other comes from the table, or 0.
 * Null when neither an override nor the table knows the model: the request then costs 0 and its
 * spend row is marked unpriced (SPEC 7).
 *
 * @example priceFor(deployment) // → { inputMicrosPerToken: 2.5, outputMicrosPerToken: 10 } for gpt-4o
 */
export function priceFor(
  deployment: Pick<Deployment, 'provider' | 'model' | 'inputCostPerToken' | 'outputCostPerToken'>,
): Price | null {
  const table = lookupModelPrice(deployment.model, deployment.provider);
  const input = deployment.inputCostPerToken ?? table?.input ?? null;
  const output = deployment.outputCostPerToken ?? table?.output ?? null;
  if (input === null && output === null) return null;
  return { inputMicrosPerToken: (input ?? 0) * 1e6, outputMicrosPerToken: (output ?? 0) * 1e6 };
}

/**
 * Largest completion the deployment's model may produce: `model_info.max_output_tokens` (or
 * `max_tokens`, LiteLLM's older name) from the config, else the table, else null.
 */
export function maxOutputTokensFor(
  deployment: Pick<Deployment, 'provider' | 'model' | 'modelInfo'>,
): number | null {
  for (const field of ['max_output_tokens', 'max_tokens']) {
    const v = deployment.modelInfo[field];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return Math.floor(v);
  }
  return lookupModelPrice(deployment.model, deployment.provider)?.maxOutput ?? null;
}

// Prices are turned into integer pico-dollars per token (1e-12 $) before multiplying, so that
// 1000 tokens × 0.15 µ$ is exactly 150 and not 150.00000000000003 (which would round up to 151).
// Every published price is a whole number of pico-dollars per token.
const PICO_PER_MICRO = 1_000_000;

function picoPerToken(microsPerToken: number): number {
  return Math.round(microsPerToken * PICO_PER_MICRO);
}

/**
 * Cost of a usage in integer micro-dollars. The total is rounded UP to the next micro-dollar, once
 * per request: a sum of request costs then never undercounts what the provider bills (it may
 * overcount by less than 1 µ$ per request), which is the safe side for budgets.
 *
 * @example costMicros({ prompt_tokens: 1000, completion_tokens: 10 }, price) // integer µ$
 */
export function costMicros(usage: Pick<Usage, 'prompt_tokens' | 'completion_tokens'>, price: Price): number {
  const prompt = Math.max(0, usage.prompt_tokens || 0);
  const completion = Math.max(0, usage.completion_tokens || 0);
  const pico =
    prompt * picoPerToken(price.inputMicrosPerToken) + completion * picoPerToken(price.outputMicrosPerToken);
  return Math.ceil(pico / PICO_PER_MICRO);
}
