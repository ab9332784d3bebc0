import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  expect((await h.call('POST', '/user/new', { user_id: 'root', user_role: 'proxy_admin' })).status).toBe(200);
});
afterAll(() => h.close());

const adminKey = async (extra: Record<string, unknown>) => {
  const res = await h.call('POST', '/key/generate', { user_id: 'root', ...extra });
  expect(res.status).toBe(200);
  return res.body.key as string;
};

describe('numeric bounds', () => {
  it('a limit beyond the column range is a 400 naming the field, not a 500', async () => {
    const res = await h.call('POST', '/key/generate', { tpm_limit: 10e9 });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('tpm_limit');
  });
});

describe('key enforced_params', () => {
  it('refuses a param name that can never be checked, writing nothing', async () => {
    const res = await h.call('POST', '/key/generate', {
      key_alias: 'bad-params',
      enforced_params: ['metadata..x'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('enforced_params');
    expect((await h.call('GET', '/key/list?key_alias=bad-params')).body.total_count).toBe(0);
  });
});

describe('key_type presets and allowed_routes bind the admin API too', () => {
  it('a proxy_admin key of type default manages keys', async () => {
    const key = await adminKey({});
    expect((await h.call('POST', '/key/generate', {}, key)).status).toBe(200);
  });

  it('an llm_api key is refused admin routes even for a proxy_admin user, but reads its own /key/info', async () => {
    const key = await adminKey({ key_type: 'llm_api' });
    const res = await h.call('POST', '/key/generate', {}, key);
    expect(res.status).toBe(403);
    expect(res.body.error.type).toBe('permission_error');
    expect((await h.call('GET', `/key/info?key=${key}`, undefined, key)).status).toBe(200);
  });

  it('a read_only key may read but not write', async () => {
    const key = await adminKey({ key_type: 'read_only' });
    expect((await h.call('GET', '/key/list', undefined, key)).status).toBe(200);
    expect((await h.call('POST', '/team/new', { team_alias: 'x' }, key)).status).toBe(403);
  });

  it('allowed_routes limits which admin routes a key may call', async () => {
    const key = await adminKey({ allowed_routes: ['/key/list', '/team/*'] });
    expect((await h.call('GET', '/key/list', undefined, key)).status).toBe(200);
    expect((await h.call('GET', '/team/list', undefined, key)).status).toBe(200);
    expect((await h.call('GET', '/user/list', undefined, key)).status).toBe(403);
  });

  it('accepts a key in x-litellm-api-key with a Bearer prefix, as LiteLLM does', async () => {
    const key = await adminKey({});
    const res = await fetch(`${h.base}/key/list`, { headers: { 'x-litellm-api-key': `Bearer ${key}` } });
    expect(res.status).toBe(200);
  });
});

describe('audit rows never keep secrets', () => {
  it('redacts key-shaped strings anywhere and credential-named fields in metadata', async () => {
    const res = await h.call('POST', '/key/generate', {
      key_alias: 'audited',
      metadata: { pw: 'sk-1234', note: 'Bearer sk-abcdefghijklmnop', db_password: 'hunter2', project: 'p1' },
    });
    expect(res.status).toBe(200);
    const audit = JSON.stringify((await h.call('GET', '/audit/list')).body);
    for (const secret of ['sk-1234', 'sk-abcdefghijklmnop', 'hunter2', res.body.key])
      expect(audit).not.toContain(secret);
    expect(audit).toContain('p1');
  });
});
