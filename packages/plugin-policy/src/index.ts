export type { PolicyPluginOptions } from './policy-plugin.ts';
export { createPolicyPlugin, policyKey, violationError } from './policy-plugin.ts';
