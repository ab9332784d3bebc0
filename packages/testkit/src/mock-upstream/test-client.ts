// Small fetch helpers shared by the mock's own tests.

// biome-ignore lint/suspicious/noExplicitAny: tests poke into loosely shaped JSON answers
export type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export async function post(
  url: string,
  body: unknown,
  key?: string,
  signal?: AbortSignal,
): Promise<JsonResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  return fetch(url, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

/** Parse an SSE body into its `data:` payloads (`[DONE]` kept as the string). */
export function sseData(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((f) => f.startsWith('data: '))
    .map((f) => f.slice(6))
    .map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
}
