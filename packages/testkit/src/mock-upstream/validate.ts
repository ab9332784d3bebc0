import { type OpenAIErrorBody, openaiError } from './openai-errors.ts';

export type Endpoint = 'chat' | 'completions' | 'embeddings';

// Real OpenAI parameters for chat/completions/embeddings. Anything else is refused the way OpenAI
// refuses it, so a gateway that leaks its own fields (metadata, tags, litellm_*) fails tests here
// instead of in production.
export const ALLOWED_PARAMS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'prompt',
  'input',
  'stream',
  'stream_options',
  'temperature',
  'top_p',
  'n',
  'stop',
  'max_tokens',
  'max_completion_tokens',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'user',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'seed',
  'store',
  'metadata',
  'service_tier',
  'modalities',
  'audio',
  'prediction',
  'reasoning_effort',
  'functions',
  'function_call',
  'suffix',
  'echo',
  'best_of',
  'encoding_format',
  'dimensions',
  'web_search_options',
]);

const REQUIRED: Record<Endpoint, string> = { chat: 'messages', completions: 'prompt', embeddings: 'input' };

/** Validate a parsed body like OpenAI does; returns the error body to answer with 400, or null. */
export function validateBody(endpoint: Endpoint, body: unknown): OpenAIErrorBody | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return openaiError(
      "Invalid type for 'body': expected an object.",
      'invalid_request_error',
      null,
      'invalid_type',
    );
  }
  const b = body as Record<string, unknown>;
  for (const name in b) {
    if (!ALLOWED_PARAMS.has(name)) return openaiError(`Unrecognized request argument supplied: ${name}`);
  }
  if (b.model === undefined || b.model === null || b.model === '') {
    return openaiError('you must provide a model parameter');
  }
  if (typeof b.model !== 'string') {
    return openaiError(
      "Invalid type for 'model': expected a string.",
      'invalid_request_error',
      'model',
      'invalid_type',
    );
  }
  const required = REQUIRED[endpoint];
  if (b[required] === undefined) {
    return openaiError(
      `Missing required parameter: '${required}'.`,
      'invalid_request_error',
      required,
      'missing_required_parameter',
    );
  }
  if (endpoint === 'chat' && !Array.isArray(b.messages)) {
    return openaiError(
      "Invalid type for 'messages': expected an array.",
      'invalid_request_error',
      'messages',
      'invalid_type',
    );
  }
  if (b.metadata !== undefined && b.store !== true) {
    return openaiError(
      "The 'metadata' parameter is only allowed when 'store' is enabled.",
      'invalid_request_error',
      'metadata',
    );
  }
  if (b.stream_options !== undefined && b.stream_options !== null && b.stream !== true) {
    return openaiError(
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      'invalid_request_error',
      'stream_options',
    );
  }
  return null;
}
