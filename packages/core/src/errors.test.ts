import { describe, expect, it } from 'vitest';
import {
  AuthError,
  BadRequestError,
  BudgetExceededError,
  GatewayError,
  RateLimitError,
  toOpenAIError,
} from './errors.ts';

describe('toOpenAIError', () => {
  it('maps a GatewayError to the exact OpenAI shape', () => {
    const out = toOpenAIError(
      new BadRequestError(
        'BadRequest please pass param=user in request body. This is a required param for service account',
        'user',
      ),
      'r',
    );
    expect(out).toEqual({
      status: 400,
      headers: {},
      body: {
        error: {
          message:
            'BadRequest please pass param=user in request body. This is a required param for service account',
          type: 'bad_request_error',
          param: 'user',
          code: '400',
        },
      },
    });
  });

  it('never leaks an unknown error', () => {
    const out = toOpenAIError(new Error('db password is hunter2'), 'req-42');
    expect(out.status).toBe(500);
    expect(out.body.error.type).toBe('internal_server_error');
    expect(out.body.error.message).toContain('req-42');
    expect(JSON.stringify(out)).not.toContain('hunter2');
  });

  it('carries limit headers', () => {
    expect(toOpenAIError(new RateLimitError('slow down', 2.2), 'r').headers).toEqual({ 'retry-after': '3' });
    const budget = toOpenAIError(new BudgetExceededError('over', 60), 'r');
    expect(budget.status).toBe(429);
    expect(budget.body.error.type).toBe('budget_exceeded');
    expect(budget.headers).toEqual({ 'x-should-retry': 'false', 'retry-after': '60' });
    expect(new AuthError('bad key').message).toBe('Authentication Error, bad key');
  });

  it('recognises errors from another copy of the package by brand', () => {
    const foreign = Object.assign(Object.create(null), new GatewayError(418, 'teapot', 'short and stout'));
    Object.defineProperty(foreign, Symbol.for('warden.gateway-error'), { value: true });
    Object.assign(foreign, {
      status: 418,
      type: 'teapot',
      message: 'short and stout',
      param: null,
      headers: {},
      toJSON: GatewayError.prototype.toJSON,
    });
    expect(toOpenAIError(foreign, 'r').status).toBe(418);
  });
});
