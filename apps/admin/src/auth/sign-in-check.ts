import { ApiError, type FetchLike, createApiClient } from '../api/client.ts';

export type SignInResult = { ok: true } | { ok: false; message: string };

/**
 * Check a key against an admin-only route before keeping it. A 401 means the gateway does not know
 * the key; a 403 means it is a valid key without admin rights. Both get a message a person can act on.
 */
export async function checkAdminKey(key: string, fetchImpl?: FetchLike): Promise<SignInResult> {
  const trimmed = key.trim();
  if (!trimmed) return { ok: false, message: 'Enter the master key or an admin key.' };
  if (!trimmed.startsWith('sk-')) return { ok: false, message: 'Warden keys start with "sk-".' };
  const client = createApiClient({ getKey: () => trimmed, fetch: fetchImpl });
  try {
    await client.get('/key/list', { page: 1, size: 1 });
    return { ok: true };
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.status === 401)
        return { ok: false, message: 'That key was not accepted. Check it and try again.' };
      if (e.status === 403) {
        return {
          ok: false,
          message: 'That key works, but it is not an admin key. Use the master key or a proxy_admin key.',
        };
      }
      return { ok: false, message: e.message };
    }
    return { ok: false, message: 'Something went wrong while signing in.' };
  }
}
