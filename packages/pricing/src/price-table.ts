/**
 * The built-in price table: DATA, not code. Prices are US dollars per token, the unit LiteLLM's
 * model_prices JSON and the config's `input_cost_per_token` use (a provider's "$2.50 / 1M tokens" is
 * `2.5e-6`). To update a price, edit the number; to add a model, add a line. Keys are the provider's
 * model name without a provider prefix, except where the same model costs differently per host
 * (Llama and friends), which are keyed `<provider>/<model>`. Dated snapshots (`-2024-08-06`,
 * `-20241022`) and `-latest` fall back to the undated name (see lookup.ts), so list a dated name only
 * when its price differs from the family's.
 *
 * `maxOutput` is the model's largest completion, used for the worst-case budget reservation when a
 * request sets no `max_tokens`.
 *
 * Sources: the providers' public pricing pages (checked 2025); embeddings have no output price.
 */
export interface ModelPrice {
  /** Dollars per input (prompt) token. */
  input: number;
  /** Dollars per output (completion) token. */
  output: number;
  /** Largest completion the model can produce, in tokens. */
  maxOutput?: number;
}

const M = 1e-6; // "per million tokens" → per token, so the table reads like the pricing pages.

export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  // ── OpenAI ────────────────────────────────────────────────────────────────
  'gpt-4o': { input: 2.5 * M, output: 10 * M, maxOutput: 16_384 },
  'gpt-4o-2024-05-13': { input: 5 * M, output: 15 * M, maxOutput: 4_096 },
  'gpt-4o-mini': { input: 0.15 * M, output: 0.6 * M, maxOutput: 16_384 },
  'chatgpt-4o-latest': { input: 5 * M, output: 15 * M, maxOutput: 16_384 },
  'gpt-4.1': { input: 2 * M, output: 8 * M, maxOutput: 32_768 },
  'gpt-4.1-mini': { input: 0.4 * M, output: 1.6 * M, maxOutput: 32_768 },
  'gpt-4.1-nano': { input: 0.1 * M, output: 0.4 * M, maxOutput: 32_768 },
  'gpt-5': { input: 1.25 * M, output: 10 * M, maxOutput: 128_000 },
  'gpt-5-mini': { input: 0.25 * M, output: 2 * M, maxOutput: 128_000 },
  'gpt-5-nano': { input: 0.05 * M, output: 0.4 * M, maxOutput: 128_000 },
  'gpt-4-turbo': { input: 10 * M, output: 30 * M, maxOutput: 4_096 },
  // GPT-4 Turbo previews: listed because snapshot stripping would otherwise land on gpt-4's price.
  'gpt-4-1106-preview': { input: 10 * M, output: 30 * M, maxOutput: 4_096 },
  'gpt-4-0125-preview': { input: 10 * M, output: 30 * M, maxOutput: 4_096 },
  'gpt-4-turbo-preview': { input: 10 * M, output: 30 * M, maxOutput: 4_096 },
  'gpt-4': { input: 30 * M, output: 60 * M, maxOutput: 4_096 },
  'gpt-3.5-turbo': { input: 0.5 * M, output: 1.5 * M, maxOutput: 4_096 },
  'gpt-3.5-turbo-instruct': { input: 1.5 * M, output: 2 * M, maxOutput: 4_096 },
  o1: { input: 15 * M, output: 60 * M, maxOutput: 100_000 },
  'o1-mini': { input: 1.1 * M, output: 4.4 * M, maxOutput: 65_536 },
  'o1-pro': { input: 150 * M, output: 600 * M, maxOutput: 100_000 },
  o3: { input: 2 * M, output: 8 * M, maxOutput: 100_000 },
  'o3-mini': { input: 1.1 * M, output: 4.4 * M, maxOutput: 100_000 },
  'o3-pro': { input: 20 * M, output: 80 * M, maxOutput: 100_000 },
  'o4-mini': { input: 1.1 * M, output: 4.4 * M, maxOutput: 100_000 },
  'text-embedding-3-small': { input: 0.02 * M, output: 0 },
  'text-embedding-3-large': { input: 0.13 * M, output: 0 },
  'text-embedding-ada-002': { input: 0.1 * M, output: 0 },

  // ── Anthropic ─────────────────────────────────────────────────────────────
  'claude-3-haiku': { input: 0.25 * M, output: 1.25 * M, maxOutput: 4_096 },
  'claude-3-sonnet': { input: 3 * M, output: 15 * M, maxOutput: 4_096 },
  'claude-3-opus': { input: 15 * M, output: 75 * M, maxOutput: 4_096 },
  'claude-3-5-haiku': { input: 0.8 * M, output: 4 * M, maxOutput: 8_192 },
  'claude-3-5-sonnet': { input: 3 * M, output: 15 * M, maxOutput: 8_192 },
  'claude-3-7-sonnet': { input: 3 * M, output: 15 * M, maxOutput: 64_000 },
  'claude-sonnet-4': { input: 3 * M, output: 15 * M, maxOutput: 64_000 },
  'claude-sonnet-4-0': { input: 3 * M, output: 15 * M, maxOutput: 64_000 },
  'claude-opus-4': { input: 15 * M, output: 75 * M, maxOutput: 32_000 },
  'claude-opus-4-0': { input: 15 * M, output: 75 * M, maxOutput: 32_000 },
  'claude-opus-4-1': { input: 15 * M, output: 75 * M, maxOutput: 32_000 },
  'claude-sonnet-4-5': { input: 3 * M, output: 15 * M, maxOutput: 64_000 },
  'claude-haiku-4-5': { input: 1 * M, output: 5 * M, maxOutput: 64_000 },
  'claude-opus-4-5': { input: 5 * M, output: 25 * M, maxOutput: 64_000 },

  // ── Google Gemini ─────────────────────────────────────────────────────────
  // Prices of the ≤128k/≤200k-context tier (the long-context tier costs more; not modelled).
  'gemini-1.5-pro': { input: 1.25 * M, output: 5 * M, maxOutput: 8_192 },
  'gemini-1.5-flash': { input: 0.075 * M, output: 0.3 * M, maxOutput: 8_192 },
  'gemini-1.5-flash-8b': { input: 0.0375 * M, output: 0.15 * M, maxOutput: 8_192 },
  'gemini-2.0-flash': { input: 0.1 * M, output: 0.4 * M, maxOutput: 8_192 },
  'gemini-2.0-flash-lite': { input: 0.075 * M, output: 0.3 * M, maxOutput: 8_192 },
  'gemini-2.5-pro': { input: 1.25 * M, output: 10 * M, maxOutput: 65_536 },
  'gemini-2.5-flash': { input: 0.3 * M, output: 2.5 * M, maxOutput: 65_536 },
  'gemini-2.5-flash-lite': { input: 0.1 * M, output: 0.4 * M, maxOutput: 65_536 },

  // ── Mistral ───────────────────────────────────────────────────────────────
  'mistral-large': { input: 2 * M, output: 6 * M, maxOutput: 128_000 },
  'mistral-medium': { input: 0.4 * M, output: 2 * M, maxOutput: 128_000 },
  'mistral-small': { input: 0.1 * M, output: 0.3 * M, maxOutput: 128_000 },
  codestral: { input: 0.3 * M, output: 0.9 * M, maxOutput: 256_000 },
  'open-mistral-nemo': { input: 0.15 * M, output: 0.15 * M, maxOutput: 128_000 },
  'ministral-8b': { input: 0.1 * M, output: 0.1 * M, maxOutput: 128_000 },
  'ministral-3b': { input: 0.04 * M, output: 0.04 * M, maxOutput: 128_000 },
  'pixtral-large': { input: 2 * M, output: 6 * M, maxOutput: 128_000 },
  'mistral-embed': { input: 0.1 * M, output: 0 },

  // ── DeepSeek ──────────────────────────────────────────────────────────────
  'deepseek-chat': { input: 0.27 * M, output: 1.1 * M, maxOutput: 8_192 },
  'deepseek-reasoner': { input: 0.55 * M, output: 2.19 * M, maxOutput: 65_536 },

  // ── Llama on common hosts (same weights, different prices: keyed by host) ─
  'groq/llama-3.1-8b-instant': { input: 0.05 * M, output: 0.08 * M, maxOutput: 8_192 },
  'groq/llama-3.3-70b-versatile': { input: 0.59 * M, output: 0.79 * M, maxOutput: 32_768 },
  'groq/meta-llama/llama-4-scout-17b-16e-instruct': { input: 0.11 * M, output: 0.34 * M, maxOutput: 8_192 },
  'groq/meta-llama/llama-4-maverick-17b-128e-instruct': { input: 0.2 * M, output: 0.6 * M, maxOutput: 8_192 },
  'together_ai/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo': { input: 0.18 * M, output: 0.18 * M },
  'together_ai/meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo': { input: 0.88 * M, output: 0.88 * M },
  'together_ai/meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo': { input: 3.5 * M, output: 3.5 * M },
  'together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo': { input: 0.88 * M, output: 0.88 * M },
  'fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct': { input: 0.2 * M, output: 0.2 * M },
  'fireworks_ai/accounts/fireworks/models/llama-v3p1-70b-instruct': { input: 0.9 * M, output: 0.9 * M },
  'fireworks_ai/accounts/fireworks/models/llama-v3p1-405b-instruct': { input: 3 * M, output: 3 * M },
  'fireworks_ai/accounts/fireworks/models/llama-v3p3-70b-instruct': { input: 0.9 * M, output: 0.9 * M },
  'bedrock/meta.llama3-1-8b-instruct-v1:0': { input: 0.22 * M, output: 0.22 * M, maxOutput: 2_048 },
  'bedrock/meta.llama3-1-70b-instruct-v1:0': { input: 0.72 * M, output: 0.72 * M, maxOutput: 2_048 },
  'bedrock/meta.llama3-3-70b-instruct-v1:0': { input: 0.72 * M, output: 0.72 * M, maxOutput: 4_096 },
};
