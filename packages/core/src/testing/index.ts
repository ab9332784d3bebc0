export { runPlugin } from './run-plugin.ts';
export type { PluginRun, RunPluginOptions } from './run-plugin.ts';
