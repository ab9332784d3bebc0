export { createAuthPlugin, extractKey } from './auth-plugin.ts';
export type { AuthPluginOptions } from './auth-plugin.ts';
export { modelAllowed } from './model-allowed.ts';
export { routeAllowed } from './route-allowed.ts';
