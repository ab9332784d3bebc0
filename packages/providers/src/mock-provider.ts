import { Readable } from 'node:stream';
import type { Provider, UpstreamCall, UpstreamResult } from './types.ts';

const DEFAULT_ANSWER = 'This is a mock response from Warden. No provider was called.';

/**
 * The built-in `mock/` provider: answers in the OpenAI wire format (streaming included) without any
 * network, so Warden runs with no provider account. The request's `mock_response` (a gateway field,
 * removed from the body) replaces the canned answer.
 */
export class MockProvider implements Provider {
  readonly name = 'mock';

  async send(call: UpstreamCall): Promise<UpstreamResult> {
    const model = call.deployment.model;
    const requested = call.gatewayFields?.mock_response;
    const content = typeof requested === 'string' ? requested : DEFAULT_ANSWER;
    const promptTokens = estimatePromptTokens(call.body);
    const id = `chatcmpl-mock-${call.requestId}`;
    const created = Math.floor(Date.now() / 1000);

    if (call.endpoint === 'embeddings') {
      const inputs = Array.isArray(call.body.input) ? call.body.input : [call.body.input];
      const data = inputs.map((_, index) => ({
        object: 'embedding',
        index,
        embedding: [0.1, 0.2, 0.3, 0.4],
      }));
      return json({
        object: 'list',
        data,
        model,
        usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
      });
    }

    const words = content.split(/(?<= )/);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: words.length,
      total_tokens: promptTokens + words.length,
    };
    const chat = call.endpoint === 'chat';
    if (!call.stream) {
      return json(
        chat
          ? {
              id,
              object: 'chat.completion',
              created,
              model,
              choices: [
                { index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null },
              ],
              usage,
            }
          : {
              id,
              object: 'text_completion',
              created,
              model,
              choices: [{ index: 0, text: content, finish_reason: 'stop', logprobs: null }],
              usage,
            },
      );
    }

    const object = chat ? 'chat.completion.chunk' : 'text_completion';
    const frames: string[] = words.map((word, i) => {
      const choice = chat
        ? {
            index: 0,
            delta: i === 0 ? { role: 'assistant', content: word } : { content: word },
            finish_reason: null,
          }
        : { index: 0, text: word, finish_reason: null };
      return frame({ id, object, created, model, choices: [choice] });
    });
    frames.push(
      frame({
        id,
        object,
        created,
        model,
        choices: [
          chat
            ? { index: 0, delta: {}, finish_reason: 'stop' }
            : { index: 0, text: '', finish_reason: 'stop' },
        ],
      }),
    );
    const options = call.body.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) frames.push(frame({ id, object, created, model, choices: [], usage }));
    frames.push('data: [DONE]\n\n');
    const body = Readable.from(frames.map((f) => Buffer.from(f)));
    return { kind: 'stream', status: 200, body, cancel: () => body.destroy() };
  }

  async close(): Promise<void> {}
}

function json(value: unknown): UpstreamResult {
  return { kind: 'json', status: 200, bytes: Buffer.from(JSON.stringify(value)) };
}

function frame(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

function estimatePromptTokens(body: Record<string, unknown>): number {
  const text = JSON.stringify(body.messages ?? body.prompt ?? body.input ?? '');
  return Math.max(1, Math.ceil(text.length / 4));
}
