import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chat, startTestGateway, type TestGateway } from './harness.ts';

let t: TestGateway;
let teamId: string;
beforeAll(async () => {
  t = await startTestGateway();
  const team = await t.call('/team/new', { team_alias: 'production' });
  expect(team.status).toBe(200);
  teamId = (await team.json()).team_id;
});
afterAll(() => t.close());
beforeEach(() => t.mock.reset());

describe('the founding case: a service account must send user', () => {
  it('refuses a service-account call without user with the exact 400, and the upstream never sees it', async () => {
    const gen = await t.call('/key/service-account/generate', {
      team_id: teamId,
      key_alias: 'billing-service',
    });
    expect(gen.status).toBe(200);
    const created = await gen.json();
    expect(created.owner_type).toBe('service_account');
    expect(created.user_id).toBeNull();

    const res = await t.call('/v1/chat/completions', chat(), { key: created.key });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(
      '{"error":{"message":"BadRequest please pass param=user in request body. This is a required param for service account","type":"bad_request_error","param":"user","code":"400"}}',
    );
    expect(t.mock.requests).toHaveLength(0);

    const ok = await t.call('/v1/chat/completions', chat({ user: 'test-user', metadata: { project: 'x' } }), {
      key: created.key,
    });
    expect(ok.status).toBe(200);
    const upstream = t.mock.requests[0]!.body as Record<string, unknown>;
    expect(upstream.user).toBe('test-user');
    expect(upstream.metadata).toBeUndefined();
  });

  it('does not bind a personal key', async () => {
    const { key } = await (await t.call('/key/generate', { user_id: 'alice', team_id: teamId })).json();
    expect((await t.call('/v1/chat/completions', chat(), { key })).status).toBe(200);
  });

  it('refuses the stream too, before any byte is streamed', async () => {
    const { key } = await (await t.call('/key/service-account/generate', { team_id: teamId })).json();
    const res = await t.call('/v1/chat/completions', chat({ stream: true }), { key });
    expect(res.status).toBe(400);
    expect((await res.json()).error.param).toBe('user');
  });

  it('applies an API policy on every later request, and /policy/test dry-runs it', async () => {
    const policy = {
      name: 'cap-tokens',
      key_types: ['service_account'],
      rules: [
        {
          id: 'max-tokens',
          when: { '!!': [{ var: 'request.max_tokens' }] },
          require: { '<=': [{ var: 'request.max_tokens' }, 256] },
          message: 'max_tokens must be at most 256',
          param: 'max_tokens',
        },
        { id: 'default-temperature', set: { path: 'request.temperature', value: 0.2, if_missing: true } },
      ],
    };
    expect((await t.call('/policy/new', policy)).status).toBe(200);
    const { key } = await (await t.call('/key/service-account/generate', { team_id: teamId })).json();
    const tooMany = await t.call('/v1/chat/completions', chat({ user: 'u', max_tokens: 1000 }), { key });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error).toMatchObject({
      message: 'max_tokens must be at most 256',
      param: 'max_tokens',
    });
    const ok = await t.call('/v1/chat/completions', chat({ user: 'u', max_tokens: 100 }), { key });
    expect(ok.status).toBe(200);
    expect((t.mock.requests[0]!.body as { temperature: number }).temperature).toBe(0.2);

    const dry = await (
      await t.call('/policy/test', { key_type: 'service_account', request: chat({ max_tokens: 9999 }) })
    ).json();
    expect(dry.allowed).toBe(false);
    expect(dry.violations.map((v: { param: string }) => v.param)).toEqual(
      expect.arrayContaining(['user', 'max_tokens']),
    );
    expect(dry.request.temperature).toBe(0.2);
  });

  it('refuses an invalid API policy with a 400 naming the rule', async () => {
    const res = await t.call('/policy/new', {
      name: 'evil',
      rules: [{ id: 'run-code', require: { method: [{ var: 'request.user' }, 'toString'] } }],
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('run-code');
  });
});
