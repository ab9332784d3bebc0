import { type ModelPrice, PRICE_TABLE } from './price-table.ts';

// Case-insensitive index, built once: hosts spell Llama names in mixed case and users retype them.
const INDEX = new Map<string, ModelPrice>(
  Object.entries(PRICE_TABLE).map(([name, price]) => [name.toLowerCase(), price]),
);

// Suffixes that name a snapshot of a model rather than another model. Tried one after the other so
// `gemini-2.5-pro-preview-05-06` and `claude-3-5-sonnet-20241022` both find their family's price.
const SNAPSHOT_SUFFIXES: readonly RegExp[] = [
  /-latest$/,
  /-\d{4}-\d{2}-\d{2}$/, // OpenAI: gpt-4o-mini-2024-07-18
  /-\d{8}$/, // Anthropic: claude-3-5-sonnet-20241022
  /-(preview|exp)(-[\w.-]+)?$/, // Gemini previews
  /-\d{3}$/, // Gemini: gemini-1.5-pro-002
  /-\d{4}$/, // Mistral and old OpenAI: mistral-large-2411, gpt-3.5-turbo-0125
];

/**
 * Price of a model by the name the provider knows it by, with or without a provider prefix:
 * `gpt-4o`, `openai/gpt-4o`, `azure/gpt-4o-2024-08-06`, `groq/llama-3.3-70b-versatile`.
 * Returns null for an unknown model (the caller decides what unpriced means).
 */
export function lookupModelPrice(model: string, provider?: string | null): ModelPrice | null {
  const names: string[] = [];
  if (provider) names.push(`${provider}/${model}`);
  // Strip leading path segments one by one: `together_ai/meta-llama/X` → `meta-llama/X` → `X`.
  let rest = model;
  for (;;) {
    names.push(rest);
    const slash = rest.indexOf('/');
    if (slash < 0) break;
    rest = rest.slice(slash + 1);
  }
  for (const name of names) {
    const found = findWithSnapshots(name.toLowerCase());
    if (found) return found;
  }
  return null;
}

function findWithSnapshots(name: string): ModelPrice | null {
  // Azure spells gpt-3.5 without the dot.
  let current = name.replace(/^gpt-35-/, 'gpt-3.5-');
  for (;;) {
    const hit = INDEX.get(current);
    if (hit) return hit;
    const next = stripOnce(current);
    if (next === current) return null;
    current = next;
  }
}

function stripOnce(name: string): string {
  for (const re of SNAPSHOT_SUFFIXES) {
    const stripped = name.replace(re, '');
    if (stripped !== name && stripped.length > 0) return stripped;
  }
  return name;
}
