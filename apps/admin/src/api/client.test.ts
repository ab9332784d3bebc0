import { describe, expect, it, vi } from 'vitest';
import { ApiError, buildUrl, createApiClient, type FetchLike } from './client.ts';

function fakeFetch(
  status: number,
  body: unknown,
): FetchLike & { calls: Array<[string, RequestInit | undefined]> } {
  const calls: Array<[string, RequestInit | undefined]> = [];
  const f = (async (url: string, init?: RequestInit) => {
    calls.push([url, init]);
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as FetchLike & { calls: typeof calls };
  f.calls = calls;
  return f;
}

describe('buildUrl', () => {
  it('drops empty filters and encodes the rest', () => {
    expect(
      buildUrl('', '/key/list', {
        page: 2,
        team_id: '',
        q: undefined,
        key_alias_contains: 'a b&c',
        ok: true,
      }),
    ).toBe('/key/list?page=2&key_alias_contains=a+b%26c&ok=true');
    expect(buildUrl('http://h', '/x')).toBe('http://h/x');
  });
});

describe('createApiClient', () => {
  it('sends the key as a bearer token, in a header only, and JSON bodies', async () => {
    const f = fakeFetch(200, { ok: 1 });
    const api = createApiClient({ getKey: () => 'sk-admin', fetch: f });
    await expect(api.post('/key/block', { key: 'h' })).resolves.toEqual({ ok: 1 });
    const [url, init] = f.calls[0]!;
    expect(url).toBe('/key/block');
    expect(url).not.toContain('sk-admin');
    expect((init!.headers as Record<string, string>).authorization).toBe('Bearer sk-admin');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"key":"h"}');
  });

  it("turns the gateway's error shape into an ApiError with its param", async () => {
    const f = fakeFetch(400, {
      error: {
        message: 'team_id is required for service account keys.',
        type: 'bad_request_error',
        param: 'team_id',
        code: '400',
      },
    });
    const api = createApiClient({ getKey: () => 'sk-x', fetch: f });
    const err = await api.post('/key/generate', {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 400,
      param: 'team_id',
      type: 'bad_request_error',
      message: 'team_id is required for service account keys.',
    });
  });

  it('tolerates non-standard error bodies', async () => {
    const api = (body: unknown, status = 500) =>
      createApiClient({ getKey: () => null, fetch: fakeFetch(status, body) });
    await expect(api({ detail: 'nope' }).get('/x')).rejects.toMatchObject({ message: 'nope', status: 500 });
    await expect(api('<html>bad gateway</html>', 502).get('/x')).rejects.toMatchObject({
      message: 'Request failed (502)',
    });
    await expect(api({ error: 'plain' }).get('/x')).rejects.toMatchObject({ message: 'plain' });
  });

  it('reports a 401 so the app can sign out, and not a 403', async () => {
    const onUnauthorized = vi.fn();
    await createApiClient({
      getKey: () => 'k',
      fetch: fakeFetch(401, { error: { message: 'Authentication Error, bad key' } }),
      onUnauthorized,
    })
      .get('/x')
      .catch(() => {});
    await createApiClient({
      getKey: () => 'k',
      fetch: fakeFetch(403, { error: { message: 'no' } }),
      onUnauthorized,
    })
      .get('/x')
      .catch(() => {});
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('says the gateway is unreachable when fetch itself fails', async () => {
    const api = createApiClient({
      getKey: () => null,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(api.get('/x')).rejects.toMatchObject({ status: 0, type: 'network_error' });
  });
});
