import { GatewayError, TimeoutError, UpstreamError } from '@warden/core';

/**
 * Maps an upstream error answer onto Warden's error shape. Upstream 401/403 become 502
 * `upstream_auth_error` on purpose: the client's key was fine, the deployment's was not, and passing a
 * 401 on would make SDKs tell the user their own key is wrong.
 */
export function fromUpstreamStatus(status: number, bytes: Buffer, model: string): GatewayError {
  let message = `upstream answered ${status}`;
  let param: string | null = null;
  let type: string | null = null;
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as {
      error?: { message?: unknown; param?: unknown; type?: unknown } | string;
    };
    const err = parsed.error;
    if (typeof err === 'string') message = err;
    else if (err && typeof err === 'object') {
      if (typeof err.message === 'string') message = err.message;
      if (typeof err.param === 'string') param = err.param;
      if (typeof err.type === 'string') type = err.type;
    }
  } catch {
    // Not JSON (an HTML error page from a proxy, say): keep the generic message.
  }
  if (status === 401 || status === 403) {
    return new UpstreamError(
      `upstream rejected the deployment's credentials for ${model}: ${message}`,
      502,
      'upstream_auth_error',
    );
  }
  if (status === 429) return markRetryable(new GatewayError(429, 'rate_limit_error', message, { param }));
  if (status >= 500)
    return markRetryable(new GatewayError(status, type ?? 'upstream_error', message, { param }));
  return new GatewayError(
    status,
    type && type !== 'invalid_request_error' ? type : 'bad_request_error',
    message,
    { param },
  );
}

/** Maps a transport failure (refused, reset, timeout) of an upstream call. */
export function fromTransportError(err: unknown, model: string, timeoutMs: number): GatewayError {
  const code = (err as { code?: string }).code ?? '';
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new TimeoutError(`upstream for ${model} did not answer within ${timeoutMs} ms`);
  }
  const reason = err instanceof Error ? err.message : String(err);
  const mapped = new UpstreamError(`upstream for ${model} is unreachable: ${code || reason}`);
  // Refused or unresolvable: nothing reached the upstream, so trying again cannot bill twice.
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
    ? markRetryable(mapped)
    : mapped;
}

const retryable = new WeakSet<object>();

/**
 * A retry must never bill twice: only a connection that never reached the upstream, or a 429/5xx
 * answer (before any streamed byte) is retried. A timeout or a reset mid-request is not: the upstream
 * may have done (and charged for) the work.
 */
export function markRetryable<E extends object>(err: E): E {
  retryable.add(err);
  return err;
}

export function isRetryable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && retryable.has(err);
}
