import type { Endpoint, KeyContext } from '@warden/core';
import { createMemoryLogger, HookDriver, isGatewayError, RequestState, toOpenAIError } from '@warden/core';
import { createPolicyEngine, type PolicyEngine } from '@warden/policy';
import { describe, expect, it } from 'vitest';
import { createPolicyPlugin } from './policy-plugin.ts';

function keyContext(extra: Partial<KeyContext> = {}): KeyContext {
  return {
    hash: 'h'.repeat(64),
    alias: 'billing-prod',
    keyName: 'sk-...abcd',
    ownerType: 'service_account',
    keyType: 'llm_api',
    teamId: 'team-a',
    userId: null,
    serviceAccountId: 'billing-prod',
    isAdmin: false,
    models: [],
    aliases: {},
    metadata: { service_account_id: 'billing-prod' },
    enforcedParams: [],
    allowedRoutes: [],
    scopes: [],
    ...extra,
  };
}

function setup(engine: PolicyEngine) {
  const driver = new HookDriver([{ definition: createPolicyPlugin({ engine }), options: undefined }], {
    logger: createMemoryLogger(),
  });
  const request = (
    body: Record<string, unknown>,
    opts: { key?: KeyContext | null; endpoint?: Endpoint | null; route?: string; method?: string } = {},
  ) => {
    const state = new RequestState({
      requestId: 'req-1',
      method: opts.method ?? 'POST',
      route: opts.route ?? '/chat/completions',
      endpoint: opts.endpoint === undefined ? 'chat' : opts.endpoint,
      headers: {},
      signal: new AbortController().signal,
      body,
    });
    const key = opts.key === undefined ? keyContext() : opts.key;
    if (key) state.setKey(key);
    return state;
  };
  const refusal = async (state: RequestState) => {
    try {
      await driver.onRequest(state);
    } catch (err) {
      expect(isGatewayError(err)).toBe(true);
      return toOpenAIError(err, state.requestId);
    }
    throw new Error('expected a refusal');
  };
  return { driver, request, refusal };
}

describe('policy plugin', () => {
  const saEngine = () =>
    createPolicyEngine({ settings: { serviceAccountParams: ['user'] }, configPolicies: [] });

  it('refuses a service account without user with the exact LiteLLM error', async () => {
    const { request, refusal } = setup(saEngine());
    const out = await refusal(request({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }));
    expect(out.status).toBe(400);
    expect(JSON.stringify(out.body)).toBe(
      '{"error":{"message":"BadRequest please pass param=user in request body. This is a required param for service account","type":"bad_request_error","param":"user","code":"400"}}',
    );
  });

  it('lets a service account with user through, body untouched', async () => {
    const { driver, request } = setup(saEngine());
    const state = request({ model: 'gpt-4o', user: 'end-user' });
    const body = state.body;
    await expect(driver.onRequest(state)).resolves.toBeUndefined();
    expect(state.body).toBe(body);
    expect(state.bodyChanged).toBe(false);
  });

  it('maps ownerType, teamId, metadata and enforcedParams into the policy key', async () => {
    const engine = createPolicyEngine({
      settings: {},
      configPolicies: [
        {
          name: 'team-gold',
          key_types: ['user'],
          teams: ['team-g'],
          rules: [
            {
              id: 'tier',
              require: { '==': [{ var: 'key.metadata.tier' }, 'gold'] },
              message: 'gold only',
              param: null,
              status: 403,
            },
          ],
        },
      ],
    });
    const { driver, request, refusal } = setup(engine);
    const user = (extra: Partial<KeyContext>) =>
      keyContext({
        ownerType: 'user',
        userId: 'u',
        teamId: 'team-g',
        serviceAccountId: null,
        metadata: {},
        ...extra,
      });
    const out = await refusal(request({ model: 'm' }, { key: user({}) }));
    expect(out).toMatchObject({
      status: 403,
      body: { error: { message: 'gold only', type: 'permission_error', param: null, code: '403' } },
    });
    await expect(
      driver.onRequest(request({ model: 'm' }, { key: user({ metadata: { tier: 'gold' } }) })),
    ).resolves.toBeUndefined();
    // another team is not selected
    await expect(
      driver.onRequest(request({ model: 'm' }, { key: user({ teamId: 'other' }) })),
    ).resolves.toBeUndefined();
    // the key's enforced_params
    const keyed = await refusal(
      request({ model: 'm' }, { key: user({ teamId: 'other', enforcedParams: ['metadata.project'] }) }),
    );
    expect(keyed.body.error).toEqual({
      message: 'BadRequest please pass param=metadata.project in request body. This is a required param',
      type: 'bad_request_error',
      param: 'metadata.project',
      code: '400',
    });
  });

  it('applies mutations with setBody and never touches the original body', async () => {
    const engine = createPolicyEngine({
      settings: {},
      configPolicies: [
        {
          name: 'cap',
          rules: [
            { id: 'c', clamp: { path: 'request.max_tokens', max: 256 } },
            { id: 't', set: { path: 'request.temperature', value: 0.2, if_missing: true } },
          ],
        },
      ],
    });
    const { driver, request } = setup(engine);
    const original = { model: 'gpt-4o', max_tokens: 4000 };
    const state = request(original);
    await driver.onRequest(state);
    expect(state.bodyChanged).toBe(true);
    expect(state.body).toEqual({ model: 'gpt-4o', max_tokens: 256, temperature: 0.2 });
    expect(original).toEqual({ model: 'gpt-4o', max_tokens: 4000 });
  });

  it('uses the public model name after aliases (ctx.model), not the body', async () => {
    const engine = createPolicyEngine({
      settings: {},
      configPolicies: [
        {
          name: 'no-gpt4',
          models: ['gpt-4*'],
          rules: [{ id: 'r', require: false, message: 'no gpt-4 here', param: 'model' }],
        },
      ],
    });
    const { driver, request, refusal } = setup(engine);
    const aliased = request({ model: 'fast' });
    aliased.setModel('gpt-4o');
    expect((await refusal(aliased)).body.error.message).toBe('no gpt-4 here');
    const plain = request({ model: 'gpt-4o' });
    plain.setModel('gpt-3.5-turbo');
    await expect(driver.onRequest(plain)).resolves.toBeUndefined();
  });

  it('skips requests that are not LLM calls (GET /models, health)', async () => {
    const engine = createPolicyEngine({ settings: { enforceUserParam: true }, configPolicies: [] });
    const { driver, request } = setup(engine);
    await expect(
      driver.onRequest(request({}, { endpoint: null, route: '/models', method: 'GET' })),
    ).resolves.toBeUndefined();
    await expect(
      driver.onRequest(request({}, { endpoint: null, route: '/health/readiness', method: 'GET', key: null })),
    ).resolves.toBeUndefined();
  });

  it('binds the master key (owner type admin) to the lists', async () => {
    const engine = createPolicyEngine({
      settings: { enforcedParams: ['metadata.project'], enforceUserParam: true },
      configPolicies: [],
    });
    const { refusal, request } = setup(engine);
    const admin = keyContext({
      ownerType: 'admin',
      isAdmin: true,
      teamId: null,
      serviceAccountId: null,
      metadata: {},
    });
    const out = await refusal(request({ model: 'm', metadata: { project: 'p' } }, { key: admin }));
    expect(out.body.error).toMatchObject({
      param: 'user',
      message: 'BadRequest please pass param=user in request body. This is a required param',
    });
  });

  it('refuses with an auth error when no key was resolved', async () => {
    const { request, refusal } = setup(saEngine());
    const out = await refusal(request({ model: 'm', user: 'u' }, { key: null }));
    expect(out.status).toBe(401);
    expect(out.body.error.type).toBe('auth_error');
  });

  it('other statuses keep the rule status and param', async () => {
    const engine = createPolicyEngine({
      settings: {},
      configPolicies: [
        { name: 'p', rules: [{ id: 'r', require: false, message: 'nope', param: 'x', status: 422 }] },
      ],
    });
    const { request, refusal } = setup(engine);
    expect((await refusal(request({ model: 'm' }))).body).toEqual({
      error: { message: 'nope', type: 'bad_request_error', param: 'x', code: '422' },
    });
  });
});
