import type { JsonObject, RequestContext, RequestState } from './context.ts';

/**
 * What one hook call sees: reads go to the shared request state, writes go through `live` so the
 * driver can revoke a hook that timed out. Whatever such a hook does afterwards is dropped, which is
 * the only way to keep a slow plugin from changing a request that has already moved on.
 */
export class HookView implements RequestContext {
  live = true;
  readonly #s: RequestState;
  readonly options: unknown;

  constructor(state: RequestState, options: unknown) {
    this.#s = state;
    this.options = options;
  }

  get requestId() {
    return this.#s.requestId;
  }
  get method() {
    return this.#s.method;
  }
  get route() {
    return this.#s.route;
  }
  get endpoint() {
    return this.#s.endpoint;
  }
  get headers() {
    return this.#s.headers;
  }
  get startedAt() {
    return this.#s.startedAt;
  }
  get signal() {
    return this.#s.signal;
  }
  get body() {
    return this.#s.body;
  }
  get bodyChanged() {
    return this.#s.bodyChanged;
  }
  get stream() {
    return this.#s.stream;
  }
  get model() {
    return this.#s.model;
  }
  get key() {
    return this.#s.key;
  }
  get deployment() {
    return this.#s.deployment;
  }
  get state() {
    return this.#s.state;
  }

  setBody(body: JsonObject): void {
    if (this.live) this.#s.setBody(body);
  }
  setModel(model: string): void {
    if (this.live) this.#s.setModel(model);
  }
  setKey(key: NonNullable<RequestContext['key']>): void {
    if (this.live) this.#s.setKey(key);
  }
  setResponseHeader(name: string, value: string): void {
    if (this.live) this.#s.setResponseHeader(name, value);
  }
}
