import type { RequestContext } from './context.ts';
import type { Logger } from './logger.ts';
import type { StandardSchemaV1 } from './standard-schema.ts';
import type { FinishSummary, StreamChunk, Usage } from './types.ts';

/** Major version of the hook API. A plugin declaring another major is refused at start-up. */
export const API_VERSION = '1.0';

/** A hook's way to answer the request itself (a cache hit, a canned refusal with a custom body). */
export interface HookResponse {
  respond: { status?: number; body: unknown; headers?: Record<string, string> };
}

/** The upstream's answer as afterResponse sees it. For streams `body` is null and only usage is known. */
export interface ResponseInfo {
  status: number;
  stream: boolean;
  body: Record<string, unknown> | null;
  usage: Usage | null;
}

type Awaitable<T> = T | Promise<T>;

/**
 * The closed set of hooks, in the order they run:
 *
 * | hook            | kind                                                                 |
 * |-----------------|----------------------------------------------------------------------|
 * | onRequest       | sequential, may change the request, reject (throw) or answer         |
 * | beforeUpstream  | sequential, after routing (ctx.deployment is set); same powers       |
 * | onChunk         | synchronous, per stream chunk: return a new chunk, null to drop it   |
 * | afterResponse   | sequential, may replace a non-streamed response body                 |
 * | onError         | fire-and-forget, when the request ends in an error                   |
 * | onFinish        | fire-and-forget, off the response path, once per request            |
 */
export interface PluginHooks {
  onRequest?(ctx: RequestContext): Awaitable<HookResponse | undefined | void>;
  beforeUpstream?(ctx: RequestContext): Awaitable<HookResponse | undefined | void>;
  onChunk?(ctx: RequestContext, chunk: StreamChunk): StreamChunk | null | undefined | void;
  afterResponse?(
    ctx: RequestContext,
    response: ResponseInfo,
  ): Awaitable<{ body: Record<string, unknown> } | undefined | void>;
  onError?(ctx: RequestContext, error: unknown): Awaitable<void>;
  onFinish?(ctx: RequestContext, summary: FinishSummary): Awaitable<void>;
}

export const HOOK_NAMES = [
  'onRequest',
  'beforeUpstream',
  'onChunk',
  'afterResponse',
  'onError',
  'onFinish',
] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export interface PluginHost {
  logger: Logger;
}

export interface PluginDefinition<Options = unknown> extends PluginHooks {
  name: string;
  version: string;
  /** The hook API major this plugin was written against, e.g. "1.0". */
  apiVersion: string;
  /** Validates the `options:` given in the config (any Standard Schema: zod, valibot, ...). */
  options?: StandardSchemaV1<unknown, Options>;
  /** Runs once at start-up with the validated options, before any request. */
  setup?(options: Options, host: PluginHost): Awaitable<void>;
  /** Runs once at shutdown. */
  close?(): Awaitable<void>;
}

const PLUGIN = Symbol.for('warden.plugin');
const LIFECYCLE = new Set(['name', 'version', 'apiVersion', 'options', 'setup', 'close']);

/**
 * Declares a plugin. Unknown hook names (a typo such as `onReqest`) are refused here, at load time.
 *
 * @example
 * export const plugin = definePlugin({
 *   name: 'no-gpt-4', version: '1.0.0', apiVersion: '1.0',
 *   onRequest(ctx) { if (ctx.model.startsWith('gpt-4')) throw new PermissionError('not here'); },
 * });
 */
export function definePlugin<Options = unknown>(
  definition: PluginDefinition<Options>,
): PluginDefinition<Options> {
  if (typeof definition !== 'object' || definition === null)
    throw new TypeError('definePlugin expects an object');
  if (typeof definition.name !== 'string' || definition.name === '')
    throw new TypeError('plugin name must be a non-empty string');
  for (const field of Object.keys(definition)) {
    if (LIFECYCLE.has(field)) continue;
    if (!(HOOK_NAMES as readonly string[]).includes(field)) {
      throw new TypeError(
        `plugin ${definition.name}: unknown hook "${field}" (known: ${HOOK_NAMES.join(', ')})`,
      );
    }
    if (typeof (definition as unknown as Record<string, unknown>)[field] !== 'function') {
      throw new TypeError(`plugin ${definition.name}: hook "${field}" must be a function`);
    }
  }
  Object.defineProperty(definition, PLUGIN, { value: true });
  return definition;
}

export function isPlugin(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN] === true;
}
