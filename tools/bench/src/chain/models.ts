/**
 * Upstream model names and what the mock answers for each. The non-streaming requests get a short
 * 5-token answer; streams come in two lengths so that (added time at 50 chunks − added time at 1
 * chunk) / 49 isolates the gateway's per-chunk cost from its per-request cost.
 */
export const MOCK_MODELS = {
  plain: { name: 'gpt-4o-mini', chunks: 5 },
  stream: { name: 'gpt-4o-mini-s50', chunks: 50 },
  streamShort: { name: 'gpt-4o-mini-s1', chunks: 1 },
} as const;

export type MockModelKind = keyof typeof MOCK_MODELS;

/** The request bodies every target receives (the `user` field satisfies the service-account policy). */
export function requestBody(kind: MockModelKind): Buffer {
  const body: Record<string, unknown> = {
    model: MOCK_MODELS[kind].name,
    messages: [
      { role: 'system', content: 'You are a terse assistant.' },
      { role: 'user', content: 'Say hello to the benchmark.' },
    ],
    max_tokens: 64,
    temperature: 0.2,
    user: 'bench-user',
  };
  if (kind !== 'plain') body.stream = true;
  return Buffer.from(JSON.stringify(body));
}
