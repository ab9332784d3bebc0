import type { Endpoint } from '@warden/core';

/** What the prompt of a request body weighs, before any tokenizer. */
export interface PromptMeasure {
  /** UTF-8 bytes of the prompt text (messages, tool calls, tool schemas, prompt/input strings). */
  bytes: number;
  /** UTF-16 characters of the same text (for the chars/4 estimate). */
  chars: number;
  /** Chat messages, or prompt/input items for completions and embeddings. */
  messages: number;
  /** Tokens known without text: pre-tokenized inputs and a fixed allowance per image. */
  fixedTokens: number;
}

/**
 * Tokens reserved per image part. Images are not priced by their URL's bytes; the largest
 * OpenAI high-detail image is 1105 tokens (gpt-4o) and Anthropic caps at ~1600, so 1600 is a bound
 * for both.
 */
export const IMAGE_TOKENS = 1600;

type Body = Readonly<Record<string, unknown>>;

/** Guess the endpoint from the body's shape when the caller does not know it. */
export function inferEndpoint(body: Body): Endpoint {
  if (Array.isArray(body.messages)) return 'chat';
  if (body.prompt !== undefined) return 'completions';
  if (body.input !== undefined) return 'embeddings';
  return 'chat';
}

/** Measures the prompt text of a chat, completions or embeddings body. Never throws on odd shapes. */
export function measurePrompt(body: Body, endpoint: Endpoint | null = null): PromptMeasure {
  const m: PromptMeasure = { bytes: 0, chars: 0, messages: 0, fixedTokens: 0 };
  const kind = endpoint ?? inferEndpoint(body);
  if (kind === 'chat') {
    if (Array.isArray(body.messages)) {
      for (const message of body.messages) {
        m.messages += 1;
        if (typeof message !== 'object' || message === null) continue;
        const msg = message as Record<string, unknown>;
        addContent(m, msg.content);
        addText(m, msg.name);
        // Tool calls the assistant made are part of the prompt of the next turn.
        if (msg.tool_calls !== undefined) addJson(m, msg.tool_calls);
        if (msg.function_call !== undefined) addJson(m, msg.function_call);
      }
    }
    // Tool and schema definitions are sent to the model as text too.
    for (const field of ['tools', 'functions', 'response_format']) {
      if (body[field] !== undefined && body[field] !== null) addJson(m, body[field]);
    }
  } else {
    const field = kind === 'completions' ? 'prompt' : 'input';
    addItems(m, body[field]);
    if (kind === 'completions') addText(m, body.suffix);
  }
  return m;
}

function addText(m: PromptMeasure, value: unknown): void {
  if (typeof value !== 'string' || value === '') return;
  m.bytes += Buffer.byteLength(value, 'utf8');
  m.chars += value.length;
}

function addJson(m: PromptMeasure, value: unknown): void {
  addText(m, JSON.stringify(value) ?? '');
}

function addContent(m: PromptMeasure, content: unknown): void {
  if (typeof content === 'string') {
    addText(m, content);
    return;
  }
  if (!Array.isArray(content)) return;
  for (const part of content) {
    if (typeof part !== 'object' || part === null) continue;
    const p = part as Record<string, unknown>;
    if (typeof p.text === 'string') addText(m, p.text);
    else if (p.type === 'image_url' || p.type === 'input_image' || p.type === 'image')
      m.fixedTokens += IMAGE_TOKENS;
    else addJson(m, p); // audio, files, refusals: their JSON is a generous stand-in
  }
}

/** completions `prompt` / embeddings `input`: a string, strings, token ids, or lists of token ids. */
function addItems(m: PromptMeasure, value: unknown): void {
  if (typeof value === 'string') {
    m.messages += 1;
    addText(m, value);
    return;
  }
  if (!Array.isArray(value)) return;
  if (value.every((v) => typeof v === 'number')) {
    m.messages += 1;
    m.fixedTokens += value.length;
    return;
  }
  for (const item of value) {
    if (typeof item === 'string') {
      m.messages += 1;
      addText(m, item);
    } else if (Array.isArray(item)) {
      m.messages += 1;
      m.fixedTokens += item.length;
    }
  }
}
