import type { FetchLike } from '../api/client.ts';

type Handler = (body: unknown, url: URL, auth: string | undefined) => { status?: number; body: unknown };

/**
 * A fetch stand-in that answers admin API routes from a table, recording every call. It sits at the
 * API client boundary only: components, router, query cache and forms under test are the real ones.
 */
export function fakeGateway(routes: Record<string, Handler>) {
  const calls: Array<{ method: string; path: string; url: URL; body: unknown; auth: string | undefined }> =
    [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input, 'http://gateway.test');
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const auth = (init?.headers as Record<string, string> | undefined)?.authorization;
    calls.push({ method, path: url.pathname, url, body, auth });
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) {
      return new Response(
        JSON.stringify({
          error: {
            message: `no route ${method} ${url.pathname}`,
            type: 'not_found_error',
            param: null,
            code: '404',
          },
        }),
        {
          status: 404,
        },
      );
    }
    const res = handler(body, url, auth);
    return new Response(JSON.stringify(res.body), { status: res.status ?? 200 });
  };
  return { fetch, calls };
}
