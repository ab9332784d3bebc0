export { Cancellation } from './cancellation.ts';
export type { CancelListener } from './cancellation.ts';
export type { Headers, JsonObject, RequestContext, RequestContextInit } from './context.ts';
export { RequestState } from './context.ts';
export { HookDriver, PluginError } from './driver.ts';
export type { HookDriverOptions, LoadedPlugin } from './driver.ts';
export {
  AuthError,
  BadRequestError,
  BudgetExceededError,
  GatewayError,
  InternalError,
  isGatewayError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  RequestTooLargeError,
  TimeoutError,
  toOpenAIError,
  UpstreamError,
} from './errors.ts';
export type { GatewayErrorOptions, OpenAIErrorBody } from './errors.ts';
export { HookView } from './hook-view.ts';
export { loadPlugins, PluginLoadError } from './load-plugins.ts';
export type { PluginEntry } from './load-plugins.ts';
export { createLogger, createMemoryLogger } from './logger.ts';
export type { LogLevel, Logger, LogSink } from './logger.ts';
export { API_VERSION, definePlugin, HOOK_NAMES, isPlugin } from './plugin.ts';
export type {
  HookName,
  HookResponse,
  PluginDefinition,
  PluginHooks,
  PluginHost,
  ResponseInfo,
} from './plugin.ts';
export { validateStandard } from './standard-schema.ts';
export type { StandardResult, StandardSchemaV1 } from './standard-schema.ts';
export type {
  Deployment,
  Endpoint,
  FinishSummary,
  KeyContext,
  LimitScope,
  OwnerType,
  StreamChunk,
  Usage,
} from './types.ts';
