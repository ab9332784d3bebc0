import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/**
 * The part of Koa's context the LLM routes and the error mapper use. Koa's `Context` satisfies it,
 * and so does `RawContext`, the lighter twin the exact LLM paths run on (see app.ts).
 */
export interface HttpContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly headers: IncomingHttpHeaders;
  readonly path: string;
  status: number;
  type: string;
  body: unknown;
  respond?: boolean;
  set(name: string, value: string): void;
}

/**
 * Koa's response semantics for the few things the LLM routes do, without Koa's per-request
 * context/request/response objects, delegates and on-finished bookkeeping (~8% of CPU per call under
 * load). Same observable answer: status 404 until a body or status is set, then 200 by default;
 * `application/json` gets `; charset=utf-8` as Koa's mime lookup adds; objects are sent as JSON;
 * a content-length always; nothing is changed once headers went out; `respond = false` leaves
 * the response to the handler (streams).
 */
export class RawContext implements HttpContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly headers: IncomingHttpHeaders;
  readonly path: string;
  respond = true;
  body: unknown = undefined;
  #explicitStatus = false;

  constructor(req: IncomingMessage, res: ServerResponse, path: string) {
    this.req = req;
    this.res = res;
    this.headers = req.headers;
    this.path = path;
    res.statusCode = 404;
  }

  get status(): number {
    return this.res.statusCode;
  }

  set status(code: number) {
    if (this.res.headersSent) return;
    this.#explicitStatus = true;
    this.res.statusCode = code;
  }

  get type(): string {
    const value = this.res.getHeader('content-type');
    return typeof value === 'string' ? value.split(';', 1)[0]! : '';
  }

  set type(value: string) {
    const full =
      value.includes(';') || !(value === 'application/json' || value.startsWith('text/'))
        ? value
        : `${value}; charset=utf-8`;
    this.set('Content-Type', full);
  }

  set(name: string, value: string): void {
    if (this.res.headersSent) return;
    this.res.setHeader(name, value);
  }

  /** Koa's `respond()` for the bodies these routes produce (Buffer, string or a JSON value). */
  send(): void {
    const res = this.res;
    if (!this.respond || res.writableEnded || res.destroyed) return;
    const body = this.body;
    if (body === undefined || body === null) {
      res.end();
      return;
    }
    if (!this.#explicitStatus && !res.headersSent) res.statusCode = 200;
    let payload: Buffer | string;
    if (Buffer.isBuffer(body)) {
      payload = body;
      if (!res.headersSent && !res.hasHeader('content-type'))
        res.setHeader('Content-Type', 'application/octet-stream');
    } else if (typeof body === 'string') {
      payload = body;
      if (!res.headersSent && !res.hasHeader('content-type')) {
        res.setHeader(
          'Content-Type',
          /^\s*</.test(body) ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
        );
      }
    } else {
      payload = JSON.stringify(body);
      if (!res.headersSent && !res.hasHeader('content-type'))
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
    }
    if (!res.headersSent) res.setHeader('Content-Length', Buffer.byteLength(payload));
    res.end(payload);
  }
}
