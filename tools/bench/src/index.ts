/** The benchmark's building blocks, for other tools that want a µs-resolution load generator. */
export { closedLoop } from './closed-loop.ts';
export type { ClosedLoopResult } from './closed-loop.ts';
export { Histogram } from './histogram.ts';
export type { LatencySummary } from './histogram.ts';
export { openLoop, summarizeOpenLoop } from './open-loop.ts';
export type { OpenLoopRaw, OpenLoopResult } from './open-loop.ts';
