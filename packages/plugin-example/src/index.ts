import { appendFile } from 'node:fs/promises';
import { BadRequestError, definePlugin, type RequestContext, type StreamChunk } from '@warden/core';
import { type ExampleOptions, optionsSchema } from './options.ts';

const opts = (ctx: RequestContext) => ctx.options as ExampleOptions;

function redact(text: string, words: string[]): string {
  let out = text;
  for (const w of words) out = out.split(w).join('[redacted]');
  return out;
}

/**
 * An example third-party plugin, loaded by package name from `plugins:`. It shows each power a plugin
 * has: refuse a request, change it, transform stream chunks, rewrite a response, observe the finish.
 */
export const plugin = definePlugin<ExampleOptions>({
  name: 'example',
  version: '0.1.0',
  apiVersion: '1.0',
  options: optionsSchema,

  onRequest(ctx) {
    if (ctx.endpoint !== 'chat') return;
    const { blockWord, systemPrompt } = opts(ctx);
    const messages = ctx.body.messages as Array<{ role: string; content?: unknown }>;
    if (blockWord && messages.some((m) => typeof m.content === 'string' && m.content.includes(blockWord))) {
      throw new BadRequestError(`messages must not contain "${blockWord}"`, 'messages');
    }
    if (systemPrompt)
      ctx.setBody({ ...ctx.body, messages: [{ role: 'system', content: systemPrompt }, ...messages] });
  },

  onChunk(ctx, chunk): StreamChunk | undefined {
    const words = opts(ctx).redact;
    if (words.length === 0) return undefined;
    const choice = chunk.choices[0];
    const content = (choice?.delta as { content?: unknown } | undefined)?.content;
    if (!choice || typeof content !== 'string') return undefined;
    return {
      ...chunk,
      choices: [{ ...choice, delta: { ...choice.delta, content: redact(content, words) } }],
    };
  },

  afterResponse(ctx, response) {
    const words = opts(ctx).redact;
    if (words.length === 0 || !response.body) return;
    const choices = response.body.choices as Array<{ message?: { content?: unknown } }> | undefined;
    if (!choices) return;
    return {
      body: {
        ...response.body,
        choices: choices.map((c) =>
          typeof c.message?.content === 'string'
            ? { ...c, message: { ...c.message, content: redact(c.message.content, words) } }
            : c,
        ),
      },
    };
  },

  async onFinish(ctx, summary) {
    const file = opts(ctx).finishLog;
    if (!file) return;
    const line = {
      requestId: summary.requestId,
      model: ctx.model,
      status: summary.status,
      stream: summary.stream,
      usage: summary.usage,
    };
    await appendFile(file, `${JSON.stringify(line)}\n`);
  },
});
