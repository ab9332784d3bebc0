// Error bodies in OpenAI's exact wire shape (type/param/code as the real API sends them), so gateway
// tests exercise the same parsing they will meet in production.

/** OpenAI's error envelope. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Build an OpenAI error body. */
export function openaiError(
  message: string,
  type = 'invalid_request_error',
  param: string | null = null,
  code: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

export const INVALID_API_KEY = openaiError(
  'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
  'invalid_request_error',
  null,
  'invalid_api_key',
);

export const MISSING_API_KEY = openaiError(
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
  'invalid_request_error',
  null,
  null,
);

export const INVALID_JSON = openaiError(
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
);

/** Default body for the `status` knob when no `errorBody` is given. */
export function defaultErrorFor(status: number): OpenAIErrorBody {
  switch (status) {
    case 400:
      return openaiError('Mock upstream: bad request.');
    case 401:
      return INVALID_API_KEY;
    case 403:
      return openaiError(
        'You are not allowed to sample from this model',
        'invalid_request_error',
        null,
        null,
      );
    case 404:
      return openaiError(
        'The model does not exist or you do not have access to it.',
        'invalid_request_error',
        null,
        'model_not_found',
      );
    case 429:
      return openaiError(
        'Rate limit reached for requests. Please try again in 1s.',
        'requests',
        null,
        'rate_limit_exceeded',
      );
    case 503:
      return openaiError('The engine is currently overloaded, please try again later.', 'server_error');
    default:
      return openaiError(
        'The server had an error while processing your request. Sorry about that!',
        status >= 500 ? 'server_error' : 'invalid_request_error',
      );
  }
}
