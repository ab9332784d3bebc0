/** Gate a suite on an outside service (Postgres, Redis, Chromium); see `needs`. */
export { CHROMIUM_PATH, needs } from './services.ts';
export type { Service } from './services.ts';
/** Strict mock OpenAI upstream (also the benchmark upstream). */
export { startMockUpstream } from './mock-upstream/server.ts';
/** Deterministic usage and vectors the mock reports, so tests can predict them. */
export { mockEmbedding, mockPromptTokens } from './mock-upstream/content.ts';
/** OpenAI's error envelope and the allow-list of request params the mock accepts. */
export { openaiError } from './mock-upstream/openai-errors.ts';
export type { OpenAIErrorBody } from './mock-upstream/openai-errors.ts';
export { ALLOWED_PARAMS } from './mock-upstream/validate.ts';
export type { Endpoint as MockEndpoint } from './mock-upstream/validate.ts';
export type {
  MockBehavior,
  MockStats,
  MockUpstream,
  MockUpstreamOptions,
  MockUpstreamSettings,
  RecordedRequest,
} from './mock-upstream/types.ts';
/** TCP proxy with cut()/restore() to make a dependency unreachable and back. */
export { startTcpProxy } from './tcp-proxy.ts';
export type { TcpProxy, TcpProxyOptions } from './tcp-proxy.ts';
/** Process helpers for black-box tests: free ports, polling, child processes that never outlive the test. */
export { freePort } from './free-port.ts';
export { startProcess, stopAll } from './process.ts';
export type { ExitInfo, StartedProcess, StartProcessOptions } from './process.ts';
export { waitFor } from './wait-for.ts';
export type { WaitForOptions } from './wait-for.ts';
