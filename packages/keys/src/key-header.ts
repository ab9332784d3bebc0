/** Headers a key may arrive in (SPEC 3), after `Authorization`. */
const HEADERS = ['x-litellm-api-key', 'api-key', 'x-api-key'] as const;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The key a request carries: `Authorization: Bearer`, `x-litellm-api-key`, `api-key` or `x-api-key`,
 * in that order. A `Bearer ` prefix is accepted on every header, as LiteLLM does (its docs show
 * `x-litellm-api-key: Bearer sk-...`). Shared by the gateway's auth plugin and the admin API so both
 * read keys the same way.
 */
export function extractApiKey(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | null {
  for (const name of ['authorization', ...HEADERS]) {
    const value = first(headers[name])?.trim();
    if (!value) continue;
    const bearer = /^Bearer\s+(.+)$/i.exec(value);
    if (bearer?.[1]) return bearer[1].trim();
    // A bare `Authorization: sk-...` is not a bearer token; the other headers carry the key as is.
    if (name !== 'authorization') return value;
  }
  return null;
}
