import type { RequestState } from './context.ts';
import { type Deadline, Deadlines } from './deadlines.ts';
import { isGatewayError } from './errors.ts';
import { HookView } from './hook-view.ts';
import type { Logger } from './logger.ts';
import type { HookName, HookResponse, PluginDefinition, ResponseInfo } from './plugin.ts';
import type { FinishSummary, StreamChunk } from './types.ts';

/** A plugin with its validated options, ready to run. */
export interface LoadedPlugin {
  definition: PluginDefinition<any>;
  options: unknown;
}

/** A plugin failed in a way that is not a typed rejection: a bug or a timeout. Maps to a 500. */
export class PluginError extends Error {
  readonly plugin: string;
  readonly hook: HookName;
  constructor(plugin: string, hook: HookName, message: string, cause?: unknown) {
    super(`plugin ${plugin} ${hook}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'PluginError';
    this.plugin = plugin;
    this.hook = hook;
  }
}

export interface HookDriverOptions {
  logger: Logger;
  /** Bound on each async hook call (default 1000 ms). */
  hookTimeoutMs?: number;
}

interface Entry<F> {
  plugin: string;
  fn: F;
  options: unknown;
}

type SeqHook = (ctx: HookView) => unknown;

/**
 * Turns the plugin list into one ordered list per hook, built once at start-up, so the request path
 * only walks arrays. Built-in plugins come first in the list the gateway passes in.
 */
export class HookDriver {
  readonly #onRequest: Entry<SeqHook>[];
  readonly #beforeUpstream: Entry<SeqHook>[];
  readonly #onChunk: Entry<(ctx: HookView, chunk: StreamChunk) => unknown>[];
  readonly #afterResponse: Entry<(ctx: HookView, res: ResponseInfo) => unknown>[];
  readonly #onError: Entry<(ctx: HookView, err: unknown) => unknown>[];
  readonly #onFinish: Entry<(ctx: HookView, summary: FinishSummary) => unknown>[];
  readonly #timeoutMs: number;
  readonly #deadlines: Deadlines;
  readonly #logger: Logger;

  constructor(plugins: readonly LoadedPlugin[], options: HookDriverOptions) {
    const seen = new Set<string>();
    for (const p of plugins) {
      if (seen.has(p.definition.name)) throw new Error(`duplicate plugin name "${p.definition.name}"`);
      seen.add(p.definition.name);
    }
    const collect = <F>(name: HookName): Entry<F>[] =>
      plugins
        .filter((p) => typeof p.definition[name] === 'function')
        .map((p) => ({
          plugin: p.definition.name,
          fn: (p.definition[name] as Function).bind(p.definition) as F,
          options: p.options,
        }));
    this.#onRequest = collect('onRequest');
    this.#beforeUpstream = collect('beforeUpstream');
    this.#onChunk = collect('onChunk');
    this.#afterResponse = collect('afterResponse');
    this.#onError = collect('onError');
    this.#onFinish = collect('onFinish');
    this.#timeoutMs = options.hookTimeoutMs ?? 1000;
    this.#deadlines = new Deadlines(this.#timeoutMs);
    this.#logger = options.logger;
  }

  /** With no afterResponse hook nobody reads a whole answer's parsed body: the gateway skips parsing it. */
  get hasAfterResponseHooks(): boolean {
    return this.#afterResponse.length > 0;
  }

  /** With no chunk hook the gateway may pass SSE bytes through without parsing them. */
  get hasChunkHooks(): boolean {
    return this.#onChunk.length > 0;
  }

  onRequest(state: RequestState): Promise<HookResponse | undefined> {
    return this.#sequential('onRequest', this.#onRequest, state);
  }

  beforeUpstream(state: RequestState): Promise<HookResponse | undefined> {
    return this.#sequential('beforeUpstream', this.#beforeUpstream, state);
  }

  /** Runs the chunk hooks; null means the chunk is dropped. Synchronous by contract. */
  chunk(state: RequestState, chunk: StreamChunk): StreamChunk | null {
    let current: StreamChunk = chunk;
    for (const e of this.#onChunk) {
      let out: unknown;
      try {
        out = e.fn(new HookView(state, e.options), current);
      } catch (err) {
        throw wrap(e.plugin, 'onChunk', err);
      }
      if (out === null) return null;
      if (out !== undefined) {
        if (typeof (out as Promise<unknown>).then === 'function') {
          throw new PluginError(e.plugin, 'onChunk', 'onChunk must be synchronous (it returned a promise)');
        }
        current = out as StreamChunk;
      }
    }
    return current;
  }

  /** Returns the replaced body, or null when no hook replaced it. */
  async afterResponse(state: RequestState, info: ResponseInfo): Promise<Record<string, unknown> | null> {
    let replaced: Record<string, unknown> | null = null;
    for (const e of this.#afterResponse) {
      const view = new HookView(state, e.options);
      const out = (await this.#call(e, 'afterResponse', view, () =>
        e.fn(view, replaced ? { ...info, body: replaced } : info),
      )) as { body: Record<string, unknown> } | undefined;
      if (out?.body && !info.stream) replaced = out.body;
    }
    return replaced;
  }

  /** Fire-and-forget: scheduled after the response, errors only logged. */
  error(state: RequestState, error: unknown): void {
    if (this.#onError.length > 0) this.#background('onError', this.#onError, state, error);
  }

  /** Fire-and-forget, off the response path. Runs once per request whatever its outcome. */
  finish(state: RequestState, summary: FinishSummary): void {
    if (this.#onFinish.length > 0) this.#background('onFinish', this.#onFinish, state, summary);
  }

  async #sequential(
    hook: HookName,
    entries: Entry<SeqHook>[],
    state: RequestState,
  ): Promise<HookResponse | undefined> {
    for (const e of entries) {
      const view = new HookView(state, e.options);
      const out = (await this.#call(e, hook, view, () => e.fn(view))) as HookResponse | undefined;
      if (out && typeof out === 'object' && 'respond' in out) return out;
    }
    return undefined;
  }

  /** Calls one hook; a promise result is bounded by the timeout, after which the view is revoked. */
  #call(e: Entry<unknown>, hook: HookName, view: HookView, invoke: () => unknown): unknown {
    let out: unknown;
    try {
      out = invoke();
    } catch (err) {
      throw wrap(e.plugin, hook, err);
    }
    if (!out || typeof (out as Promise<unknown>).then !== 'function') return out;
    return new Promise((resolve, reject) => {
      const call = new PendingCall(this.#timeoutMs, e.plugin, hook, view, reject);
      this.#deadlines.add(call);
      (out as Promise<unknown>).then(
        (value) => {
          this.#deadlines.delete(call);
          resolve(value);
        },
        (err) => {
          this.#deadlines.delete(call);
          reject(wrap(e.plugin, hook, err));
        },
      );
    });
  }

  #background<A>(
    hook: HookName,
    entries: Entry<(ctx: HookView, arg: A) => unknown>[],
    state: RequestState,
    arg: A,
  ): void {
    setImmediate(() => {
      for (const e of entries) {
        const view = new HookView(state, e.options);
        Promise.resolve()
          .then(() => this.#call(e, hook, view, () => e.fn(view, arg)))
          .catch((err) =>
            this.#logger.error('plugin hook failed', {
              plugin: e.plugin,
              hook,
              requestId: state.requestId,
              err,
            }),
          );
      }
    });
  }
}

/** An async hook call under its deadline: on expiry its view is revoked and its caller rejected. */
class PendingCall implements Deadline {
  readonly at: number;
  readonly #timeoutMs: number;
  readonly #plugin: string;
  readonly #hook: HookName;
  readonly #view: HookView;
  readonly #reject: (err: unknown) => void;

  constructor(
    timeoutMs: number,
    plugin: string,
    hook: HookName,
    view: HookView,
    reject: (err: unknown) => void,
  ) {
    this.at = performance.now() + timeoutMs;
    this.#timeoutMs = timeoutMs;
    this.#plugin = plugin;
    this.#hook = hook;
    this.#view = view;
    this.#reject = reject;
  }

  expire(): void {
    this.#view.live = false;
    // Made here, not per call: an Error captures a stack trace.
    this.#reject(new PluginError(this.#plugin, this.#hook, `timed out after ${this.#timeoutMs} ms`));
  }
}

/** Typed rejections (GatewayError) pass through untouched; anything else is wrapped with names. */
function wrap(plugin: string, hook: HookName, err: unknown): unknown {
  if (isGatewayError(err) || err instanceof PluginError) return err;
  return new PluginError(plugin, hook, err instanceof Error ? err.message : String(err), err);
}
