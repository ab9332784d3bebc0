import { request } from 'undici';
import { MOCK_MODELS } from './chain/models.ts';
import type { Target } from './targets/types.ts';

/**
 * One real request of each kind before measuring: a gateway that answers fast with an error would
 * otherwise look like a winner. Checks status, the JSON shape, and that a stream carries every chunk
 * and ends with [DONE].
 */
export async function probeTarget(t: Target): Promise<{ streamError: string | null }> {
  const plain = t.spec('plain');
  const res = await request(`${plain.origin}${plain.path}`, {
    method: 'POST',
    headers: plain.headers,
    body: plain.body,
  });
  const text = await res.body.text();
  if (res.statusCode !== 200)
    throw new Error(`${t.name}: plain request → ${res.statusCode} ${text.slice(0, 300)}`);
  const json = JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] };
  if (typeof json.choices?.[0]?.message?.content !== 'string') {
    throw new Error(`${t.name}: plain answer without choices[0].message.content: ${text.slice(0, 300)}`);
  }
  try {
    await probeStreams(t);
    return { streamError: null };
  } catch (err) {
    return { streamError: (err as Error).message };
  }
}

async function probeStreams(t: Target): Promise<void> {
  for (const kind of ['stream', 'streamShort'] as const) {
    const s = t.spec(kind);
    const sres = await request(`${s.origin}${s.path}`, { method: 'POST', headers: s.headers, body: s.body });
    const body = await sres.body.text();
    if (sres.statusCode !== 200)
      throw new Error(`${t.name}: ${kind} request → ${sres.statusCode} ${body.slice(0, 300)}`);
    const frames = body.split('\n').filter((l) => l.startsWith('data: '));
    const content = frames.filter((l) => l.includes('"content":"')).length;
    const want = MOCK_MODELS[kind].chunks;
    if (content < want || frames.at(-1) !== 'data: [DONE]') {
      throw new Error(
        `${t.name}: ${kind} stream had ${content}/${want} content chunks, last frame ${frames.at(-1)}`,
      );
    }
  }
}
