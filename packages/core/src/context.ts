import { Cancellation } from './cancellation.ts';
import type { Deployment, Endpoint, KeyContext } from './types.ts';

export type Headers = Readonly<Record<string, string | string[] | undefined>>;
export type JsonObject = Record<string, unknown>;

/**
 * Everything a hook may read about the request in flight. Hooks change it only through the methods,
 * so that the driver can discard the changes of a hook that timed out (see `hook-view.ts`).
 */
export interface RequestContext {
  readonly requestId: string;
  readonly method: string;
  /** Route without the `/v1` prefix, e.g. `/chat/completions`, `/models`. */
  readonly route: string;
  /** Set for the LLM routes (POST chat, completions, embeddings); null for the rest. */
  readonly endpoint: Endpoint | null;
  /** Incoming headers, lower-case names. Never forwarded upstream. */
  readonly headers: Headers;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  /** The parsed request body (LLM routes); treat as read-only and change it with `setBody`. */
  readonly body: Readonly<JsonObject>;
  /** True once any hook replaced the body: the raw bytes can no longer be forwarded. */
  readonly bodyChanged: boolean;
  readonly stream: boolean;
  /** Public model name, after the key's aliases. */
  readonly model: string;
  readonly key: KeyContext | null;
  readonly deployment: Deployment | null;
  /** Plugin-private state; use a Symbol or your plugin name as the key. */
  readonly state: Map<unknown, unknown>;
  /** Validated options of the plugin whose hook is running. */
  readonly options: unknown;

  setBody(body: JsonObject): void;
  setModel(model: string): void;
  setKey(key: KeyContext): void;
  setResponseHeader(name: string, value: string): void;
}

export interface RequestContextInit {
  requestId: string;
  method: string;
  route: string;
  endpoint: Endpoint | null;
  headers: Headers;
  /** Give one of the two: the gateway passes its Cancellation, callers holding a signal pass that. */
  signal?: AbortSignal;
  cancellation?: Cancellation;
  body?: JsonObject;
  startedAt?: number;
}

/** The mutable request record the gateway owns; hooks see it through a per-call view. */
export class RequestState implements RequestContext {
  readonly requestId: string;
  readonly method: string;
  readonly route: string;
  readonly endpoint: Endpoint | null;
  readonly headers: Headers;
  readonly startedAt: number;
  readonly cancellation: Cancellation;
  readonly state = new Map<unknown, unknown>();
  readonly options: unknown = undefined;
  body: JsonObject;
  bodyChanged = false;
  model: string;
  key: KeyContext | null = null;
  deployment: Deployment | null = null;
  /** Headers hooks asked to add to the client response. */
  responseHeaders: Record<string, string> | null = null;

  constructor(init: RequestContextInit) {
    this.requestId = init.requestId;
    this.method = init.method;
    this.route = init.route;
    this.endpoint = init.endpoint;
    this.headers = init.headers;
    this.cancellation =
      init.cancellation ?? (init.signal ? Cancellation.following(init.signal) : new Cancellation());
    this.startedAt = init.startedAt ?? performance.now();
    this.body = init.body ?? {};
    this.model = typeof this.body.model === 'string' ? this.body.model : '';
  }

  /** Made on first use (see Cancellation). */
  get signal(): AbortSignal {
    return this.cancellation.signal;
  }

  get stream(): boolean {
    return this.body.stream === true;
  }

  setBody(body: JsonObject): void {
    this.body = body;
    this.bodyChanged = true;
  }

  setModel(model: string): void {
    this.model = model;
  }

  setKey(key: KeyContext): void {
    this.key = key;
  }

  setDeployment(deployment: Deployment): void {
    this.deployment = deployment;
  }

  setResponseHeader(name: string, value: string): void {
    if (this.responseHeaders === null) this.responseHeaders = {};
    this.responseHeaders[name.toLowerCase()] = value;
  }
}
