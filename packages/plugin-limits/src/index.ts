/** Budget periods are defined once, in @warden/keys, where keys get their first reset time. */
export { nextBudgetReset } from '@warden/keys';
export { buildChecks } from './checks.ts';
export type { LabelledCheck } from './checks.ts';
export { createLimitsPlugin } from './limits-plugin.ts';
export type { LimitsPluginOptions, LimitsPricing } from './limits-plugin.ts';
