export { MockProvider } from './mock-provider.ts';
export { OpenAICompatibleProvider } from './openai-compatible.ts';
export { KNOWN_PROVIDERS, ProviderRegistry } from './registry.ts';
export { SseScanner } from './sse-scanner.ts';
export type { ScanResult } from './sse-scanner.ts';
export type { JsonResult, Provider, StreamResult, UpstreamCall, UpstreamResult } from './types.ts';
export { fromTransportError, fromUpstreamStatus, isRetryable, markRetryable } from './upstream-errors.ts';
