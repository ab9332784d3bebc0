/** Minimal fetch signature so tests can inject a fake at the client boundary. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** An error answered by the admin API, in the gateway's one error shape (SPEC section 3). */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string;
  constructor(
    status: number,
    message: string,
    type = 'error',
    param: string | null = null,
    code = String(status),
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface ApiClient {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

export interface ApiClientOptions {
  /** The admin key; read on every call so sign-out takes effect at once. */
  getKey: () => string | null;
  fetch?: FetchLike;
  baseUrl?: string;
  /** Called on 401 so the app can drop a key that stopped working (blocked, expired, rotated). */
  onUnauthorized?: (error: ApiError) => void;
}

/** Build `path?query`, dropping empty values so filters that are unset are not sent at all. */
export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
}

/** Turn any failed response into an ApiError, tolerating bodies that are not the standard shape. */
export async function toApiError(res: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    // body unreadable: fall through to the status text
  }
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  const err = (parsed as { error?: unknown } | null)?.error;
  if (err && typeof err === 'object') {
    const e = err as { message?: unknown; type?: unknown; param?: unknown; code?: unknown };
    return new ApiError(
      res.status,
      typeof e.message === 'string' ? e.message : `Request failed (${res.status})`,
      typeof e.type === 'string' ? e.type : 'error',
      typeof e.param === 'string' && e.param ? e.param : null,
      e.code === undefined ? String(res.status) : String(e.code),
    );
  }
  const detail = (parsed as { detail?: unknown } | null)?.detail;
  const message =
    typeof err === 'string'
      ? err
      : typeof detail === 'string'
        ? detail
        : text && text.length < 300 && !text.trimStart().startsWith('<')
          ? text
          : `Request failed (${res.status}${res.statusText ? ` ${res.statusText}` : ''})`;
  return new ApiError(res.status, message);
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const baseUrl = options.baseUrl ?? '';

  async function request<T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const key = options.getKey();
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(buildUrl(baseUrl, path, query), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(
        0,
        'Could not reach the gateway. Check that it is running and try again.',
        'network_error',
      );
    }
    if (!res.ok) {
      const error = await toApiError(res);
      if (res.status === 401) options.onUnauthorized?.(error);
      throw error;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    get: (path, query) => request('GET', path, query),
    post: (path, body) => request('POST', path, undefined, body ?? {}),
  };
}
