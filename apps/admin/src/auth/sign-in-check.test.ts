import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../api/client.ts';
import { checkAdminKey } from './sign-in-check.ts';
import { clearStoredKey, readStoredKey, storeKey } from './session.ts';

const answer =
  (status: number, body: unknown = {}): FetchLike =>
  async () =>
    new Response(JSON.stringify(body), { status });

describe('checkAdminKey', () => {
  it('accepts a key the admin API accepts', async () => {
    expect(await checkAdminKey(' sk-master ', answer(200, { keys: [] }))).toEqual({ ok: true });
  });

  it('explains an unknown key, a non-admin key and a malformed one', async () => {
    expect(
      await checkAdminKey('sk-bad', answer(401, { error: { message: 'Authentication Error, x' } })),
    ).toEqual({
      ok: false,
      message: 'That key was not accepted. Check it and try again.',
    });
    expect(await checkAdminKey('sk-user', answer(403))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not an admin key/),
    });
    expect(await checkAdminKey('', answer(200))).toMatchObject({ ok: false });
    expect(await checkAdminKey('hunter2', answer(200))).toEqual({
      ok: false,
      message: 'Warden keys start with "sk-".',
    });
  });
});

describe('session storage', () => {
  it('keeps the key in sessionStorage only and clears it', () => {
    storeKey('sk-1');
    expect(sessionStorage.getItem('warden.admin-key')).toBe('sk-1');
    expect(localStorage.length).toBe(0);
    expect(readStoredKey()).toBe('sk-1');
    clearStoredKey();
    expect(readStoredKey()).toBeNull();
  });
});
