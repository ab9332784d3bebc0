export { CHROMIUM_PATH, needs } from './services.ts';
export type { Service } from './services.ts';
