export { nextBudgetReset } from './budget-reset.ts';
export { buildChecks } from './checks.ts';
export type { LabelledCheck } from './checks.ts';
export { createLimitsPlugin } from './limits-plugin.ts';
export type { LimitsPluginOptions, LimitsPricing } from './limits-plugin.ts';
