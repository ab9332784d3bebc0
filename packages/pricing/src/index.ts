export {
  DEFAULT_MAX_OUTPUT_TOKENS,
  estimateRequestTokens,
  estimateUsage,
  inputTokenUpperBound,
  requestedMaxTokens,
  worstCaseMicros,
} from './estimate.ts';
export { lookupModelPrice } from './lookup.ts';
export { costMicros, maxOutputTokensFor, priceFor } from './price.ts';
export type { Price } from './price.ts';
export { PRICE_TABLE } from './price-table.ts';
export type { ModelPrice } from './price-table.ts';
export { IMAGE_TOKENS, inferEndpoint, measurePrompt } from './prompt-measure.ts';
export type { PromptMeasure } from './prompt-measure.ts';
