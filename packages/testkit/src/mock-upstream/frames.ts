import type { Content } from './content.ts';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usageJson(u: Usage): string {
  return `{"prompt_tokens":${u.prompt_tokens},"completion_tokens":${u.completion_tokens},"total_tokens":${u.total_tokens}}`;
}

/** One stream as SSE frames: `content` holds the content-chunk frames (what the chunk knobs count). */
export interface StreamFrames {
  head: string[];
  content: string[];
  tail: string[];
}

// Frames are assembled by concatenating pre-encoded fragments (no JSON.stringify per chunk): the mock
// is also the benchmark upstream and must not be the bottleneck.
export function chatStreamFrames(
  id: string,
  created: number,
  modelJson: string,
  content: Content,
  usage: Usage | null,
): StreamFrames {
  const pre = `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${modelJson},"system_fingerprint":null,"choices":[{"index":0,"delta":`;
  const usageNull = usage ? ',"usage":null' : '';
  const post = `,"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`;
  const head = [`${pre}{"role":"assistant","content":"","refusal":null}${post}`];
  const frames = content.chatDeltas.map((d) => pre + d + post);
  const tail = [`${pre}{},"logprobs":null,"finish_reason":"stop"}]${usageNull}}\n\n`];
  if (usage) {
    tail.push(
      `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${modelJson},"system_fingerprint":null,"choices":[],"usage":${usageJson(usage)}}\n\n`,
    );
  }
  tail.push('data: [DONE]\n\n');
  return { head, content: frames, tail };
}

export function completionStreamFrames(
  id: string,
  created: number,
  modelJson: string,
  content: Content,
  usage: Usage | null,
): StreamFrames {
  const pre = `data: {"id":"${id}","object":"text_completion","created":${created},"choices":[{"text":`;
  const usageNull = usage ? ',"usage":null' : '';
  const post = `,"index":0,"logprobs":null,"finish_reason":null}],"model":${modelJson},"system_fingerprint":null${usageNull}}\n\n`;
  const frames = content.pieceJson.map((p) => pre + p + post);
  const tail = [
    `${pre}"","index":0,"logprobs":null,"finish_reason":"stop"}],"model":${modelJson},"system_fingerprint":null${usageNull}}\n\n`,
  ];
  if (usage) {
    tail.push(
      `data: {"id":"${id}","object":"text_completion","created":${created},"choices":[],"model":${modelJson},"system_fingerprint":null,"usage":${usageJson(usage)}}\n\n`,
    );
  }
  tail.push('data: [DONE]\n\n');
  return { head: [], content: frames, tail };
}

export function chatCompletionBody(
  id: string,
  created: number,
  modelJson: string,
  content: Content,
  usage: Usage | null,
): string {
  return `{"id":"${id}","object":"chat.completion","created":${created},"model":${modelJson},"choices":[{"index":0,"message":{"role":"assistant","content":${content.textJson},"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}]${usage ? `,"usage":${usageJson(usage)}` : ''},"service_tier":"default","system_fingerprint":null}`;
}

export function completionBody(
  id: string,
  created: number,
  modelJson: string,
  content: Content,
  usage: Usage | null,
): string {
  return `{"id":"${id}","object":"text_completion","created":${created},"model":${modelJson},"choices":[{"text":${content.textJson},"index":0,"logprobs":null,"finish_reason":"stop"}]${usage ? `,"usage":${usageJson(usage)}` : ''},"system_fingerprint":null}`;
}
