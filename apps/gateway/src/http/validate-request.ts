import { BadRequestError, type Endpoint } from '@warden/core';

const REQUIRED: Record<Endpoint, { field: string; check: (v: unknown) => boolean; expected: string }> = {
  chat: {
    field: 'messages',
    check: (v) => Array.isArray(v) && v.length > 0 && v.every(isObject),
    expected: 'a non-empty array of message objects',
  },
  completions: {
    field: 'prompt',
    check: (v) => typeof v === 'string' || Array.isArray(v),
    expected: 'a string or an array',
  },
  embeddings: {
    field: 'input',
    check: (v) => typeof v === 'string' || (Array.isArray(v) && v.length > 0),
    expected: 'a string or a non-empty array',
  },
};

/** The few shape checks the gateway itself needs; everything else is the upstream's to judge. */
export function validateLlmBody(endpoint: Endpoint, body: Record<string, unknown>): void {
  if (body.model === undefined) throw new BadRequestError('Missing required parameter: model', 'model');
  if (typeof body.model !== 'string' || body.model === '')
    throw new BadRequestError('model must be a non-empty string', 'model');
  const rule = REQUIRED[endpoint];
  const value = body[rule.field];
  if (value === undefined) throw new BadRequestError(`Missing required parameter: ${rule.field}`, rule.field);
  if (!rule.check(value)) throw new BadRequestError(`${rule.field} must be ${rule.expected}`, rule.field);
  if (body.stream !== undefined && typeof body.stream !== 'boolean')
    throw new BadRequestError('stream must be a boolean', 'stream');
  if (body.user !== undefined && typeof body.user !== 'string')
    throw new BadRequestError('user must be a string', 'user');
  for (const field of ['max_tokens', 'max_completion_tokens'] as const) {
    const v = body[field];
    if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) > 0)) {
      throw new BadRequestError(`${field} must be a positive integer`, field);
    }
  }
  if (body.metadata !== undefined && body.metadata !== null && !isObject(body.metadata)) {
    throw new BadRequestError('metadata must be an object', 'metadata');
  }
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
