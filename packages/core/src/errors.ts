/**
 * The one error type of Warden. Everything that should reach a client as an OpenAI-style error is a
 * GatewayError (or a subclass); anything else thrown is a bug and becomes a generic 500.
 *
 * Identity is checked with a global brand rather than `instanceof`: a plugin installed outside the
 * workspace may bring its own copy of this package, and its errors must still map correctly.
 */
const BRAND = Symbol.for('warden.gateway-error');

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export interface GatewayErrorOptions {
  param?: string | null;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  /** Extra response headers (retry-after, x-should-retry, ...). */
  readonly headers: Record<string, string>;

  constructor(status: number, type: string, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.status = status;
    this.type = type;
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
    Object.defineProperty(this, BRAND, { value: true });
  }

  toJSON(): OpenAIErrorBody {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: String(this.status) },
    };
  }
}

/** True for any GatewayError, whichever copy of @warden/core created it. */
export function isGatewayError(value: unknown): value is GatewayError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export class BadRequestError extends GatewayError {
  constructor(message: string, param: string | null = null, status = 400) {
    super(status, 'bad_request_error', message, { param });
  }
}

export class AuthError extends GatewayError {
  constructor(message: string, type: 'auth_error' | 'expired_key' = 'auth_error') {
    super(401, type, `Authentication Error, ${message}`);
  }
}

export class PermissionError extends GatewayError {
  constructor(
    message: string,
    type: 'key_model_access_denied' | 'permission_error' = 'permission_error',
    param: string | null = null,
  ) {
    super(403, type, message, { param });
  }
}

export class NotFoundError extends GatewayError {
  constructor(message: string, param: string | null = null) {
    super(404, 'not_found_error', message, { param });
  }
}

export class RequestTooLargeError extends GatewayError {
  constructor(limitBytes: number) {
    super(413, 'request_too_large', `Request body exceeds the maximum size of ${limitBytes} bytes`);
  }
}

export class RateLimitError extends GatewayError {
  constructor(message: string, retryAfterSeconds: number, headers: Record<string, string> = {}) {
    super(429, 'rate_limit_error', message, {
      headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))), ...headers },
    });
  }
}

export class BudgetExceededError extends GatewayError {
  constructor(message: string, retryAfterSeconds: number | null) {
    const headers: Record<string, string> = { 'x-should-retry': 'false' };
    if (retryAfterSeconds !== null)
      headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
    super(429, 'budget_exceeded', message, { headers });
  }
}

export class UpstreamError extends GatewayError {
  constructor(message: string, status = 502, type = 'upstream_error', param: string | null = null) {
    super(status, type, message, { param });
  }
}

export class TimeoutError extends GatewayError {
  constructor(message: string) {
    super(504, 'timeout_error', message);
  }
}

export class InternalError extends GatewayError {
  constructor(requestId: string) {
    super(
      500,
      'internal_server_error',
      `Internal server error (request id ${requestId}); see the gateway log for details`,
    );
  }
}

/**
 * The single mapper from anything thrown to the OpenAI error JSON. Unknown errors never leak their
 * message or stack: the caller logs them and the client sees only the request id.
 */
export function toOpenAIError(
  err: unknown,
  requestId: string,
): { status: number; body: OpenAIErrorBody; headers: Record<string, string> } {
  const e = isGatewayError(err) ? err : new InternalError(requestId);
  return { status: e.status, body: e.toJSON(), headers: e.headers };
}
