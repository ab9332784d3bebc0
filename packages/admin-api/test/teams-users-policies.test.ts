import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers.ts';

let h: Harness;
let plain: string;
beforeAll(async () => {
  h = await startHarness();
  plain = (await h.call('POST', '/key/generate', { user_id: 'pleb' })).body.key;
});
afterAll(() => h?.close());

describe('teams', () => {
  it('new / update / info / list / members; validation, 404 and 403', async () => {
    const created = await h.call('POST', '/team/new', {
      team_alias: 'Search',
      models: ['gpt-4o'],
      max_budget: 100,
      rpm_limit: 60,
      members_with_roles: [{ user_id: 'ann', role: 'admin' }],
    });
    expect(created.status).toBe(200);
    const teamId = created.body.team_id as string;
    expect(created.body).toMatchObject({ team_alias: 'Search', max_budget: 100, rpm_limit: 60, spend: 0 });
    expect(created.body.members_with_roles).toEqual([{ user_id: 'ann', role: 'admin' }]);
    expect((await h.call('POST', '/team/new', { team_id: teamId })).body.error.param).toBe('team_id');
    expect((await h.call('POST', '/team/new', { max_budget: -3 })).body.error.param).toBe('max_budget');
    expect((await h.call('POST', '/team/new', { models: [1] })).body.error.param).toBe('models.0');
    expect((await h.call('POST', '/team/new', {}, plain)).status).toBe(403);

    const upd = await h.call('POST', '/team/update', {
      team_id: teamId,
      models: ['gpt-4o', 'gpt-4o-mini'],
      metadata: { a: 1 },
    });
    expect(upd.body).toMatchObject({
      models: ['gpt-4o', 'gpt-4o-mini'],
      metadata: { a: 1 },
      max_budget: 100,
    });
    expect((await h.call('POST', '/team/update', { team_id: 'ghost' })).status).toBe(404);
    expect((await h.call('POST', '/team/update', {})).body.error.param).toBe('team_id');
    expect((await h.call('POST', '/team/update', { team_id: teamId }, plain)).status).toBe(403);

    expect(
      (await h.call('POST', '/team/member_add', { team_id: teamId, member: { user_id: 'bo' } })).body
        .members_with_roles,
    ).toHaveLength(2);
    expect(
      (await h.call('POST', '/team/member_add', { team_id: 'ghost', member: { user_id: 'bo' } })).status,
    ).toBe(404);
    expect(
      (await h.call('POST', '/team/member_add', { team_id: teamId, member: { role: 'x' } })).status,
    ).toBe(400);
    expect(
      (await h.call('POST', '/team/member_delete', { team_id: teamId, user_id: 'bo' })).body
        .members_with_roles,
    ).toHaveLength(1);
    expect((await h.call('POST', '/team/member_delete', { team_id: teamId, user_id: 'bo' })).status).toBe(
      404,
    );
    expect(
      (await h.call('POST', '/team/member_add', { team_id: teamId, member: { user_id: 'x' } }, plain)).status,
    ).toBe(403);

    const info = await h.call('GET', `/team/info?team_id=${teamId}`);
    expect(info.body).toMatchObject({ team_id: teamId, team_info: { team_alias: 'Search' }, keys: [] });
    expect((await h.call('GET', '/team/info?team_id=ghost')).status).toBe(404);
    expect((await h.call('GET', '/team/info')).status).toBe(400);
    expect((await h.call('GET', `/team/info?team_id=${teamId}`, undefined, plain)).status).toBe(403);
    const list = await h.call('GET', '/team/list');
    expect(list.body.map((t: { team_id: string }) => t.team_id)).toContain(teamId);
    expect((await h.call('GET', '/team/list', undefined, plain)).status).toBe(403);
  });

  it('team model changes reach the cache; delete removes the team and its keys, service accounts included', async () => {
    await h.call('POST', '/team/new', { team_id: 'doomed', models: ['a', 'b'] });
    const personal = (await h.call('POST', '/key/generate', { team_id: 'doomed', user_id: 'u1' })).body;
    const sa = (await h.call('POST', '/key/service-account/generate', { team_id: 'doomed' })).body;
    const before = await h.lookup.verify(personal.key);
    expect(before.valid && before.key.models).toEqual(['a', 'b']);
    await h.call('POST', '/team/update', { team_id: 'doomed', models: ['a'] });
    const after = await h.lookup.verify(personal.key);
    expect(after.valid && after.key.models).toEqual(['a']);

    expect((await h.call('POST', '/team/delete', { team_ids: ['doomed', 'ghost'] })).status).toBe(404);
    expect((await h.lookup.verify(sa.key)).valid).toBe(true); // rolled back
    expect((await h.call('POST', '/team/delete', { team_ids: ['doomed'] }, plain)).status).toBe(403);
    expect((await h.call('POST', '/team/delete', { team_ids: [] })).status).toBe(400);
    const del = await h.call('POST', '/team/delete', { team_ids: ['doomed'] });
    expect(del.status).toBe(200);
    expect(new Set(del.body.deleted_keys)).toEqual(new Set([personal.token_id, sa.token_id]));
    expect(await h.lookup.verify(sa.key)).toEqual({ valid: false, code: 'not_found' });
    expect(await h.lookup.verify(personal.key)).toEqual({ valid: false, code: 'not_found' });
    const audit = await h.call('GET', '/audit/list?action=key.delete');
    expect(audit.body.entries.map((e: { object_id: string }) => e.object_id)).toEqual(
      expect.arrayContaining([personal.token_id, sa.token_id]),
    );
  });
});

describe('users', () => {
  it('new / update / info / list; validation, 404 and 403', async () => {
    const u = await h.call('POST', '/user/new', {
      user_id: 'dana',
      user_email: 'd@x.io',
      max_budget: 5,
      user_role: 'internal_user',
    });
    expect(u.body).toMatchObject({
      user_id: 'dana',
      user_email: 'd@x.io',
      max_budget: 5,
      user_role: 'internal_user',
    });
    expect((await h.call('POST', '/user/new', { user_id: 'dana' })).status).toBe(400);
    expect((await h.call('POST', '/user/new', { user_role: 'god' })).body.error.param).toBe('user_role');
    expect((await h.call('POST', '/user/new', {}, plain)).status).toBe(403);
    const generated = await h.call('POST', '/user/new', {});
    expect(typeof generated.body.user_id).toBe('string');

    expect((await h.call('POST', '/user/update', { user_id: 'dana', rpm_limit: 9 })).body.rpm_limit).toBe(9);
    expect((await h.call('POST', '/user/update', { user_id: 'ghost' })).status).toBe(404);
    expect((await h.call('POST', '/user/update', { user_id: 'dana', max_budget: -1 })).status).toBe(400);
    expect((await h.call('POST', '/user/update', { user_id: 'dana' }, plain)).status).toBe(403);

    expect((await h.call('GET', '/user/info?user_id=dana')).body).toMatchObject({
      user_id: 'dana',
      user_info: { rpm_limit: 9 },
    });
    expect((await h.call('GET', '/user/info?user_id=ghost')).status).toBe(404);
    expect((await h.call('GET', '/user/info?user_id=dana', undefined, plain)).status).toBe(403);
    const list = await h.call('GET', '/user/list?page_size=1');
    expect(list.body).toMatchObject({ page: 1, page_size: 1 });
    expect(list.body.total).toBeGreaterThanOrEqual(2);
    expect((await h.call('GET', '/user/list', undefined, plain)).status).toBe(403);
  });

  it('promoting a user to proxy_admin makes their key an admin at once', async () => {
    await h.call('POST', '/user/new', { user_id: 'eve' });
    const k = (await h.call('POST', '/key/generate', { user_id: 'eve' })).body.key;
    expect((await h.call('GET', '/team/list', undefined, k)).status).toBe(403);
    await h.call('POST', '/user/update', { user_id: 'eve', user_role: 'proxy_admin' });
    expect((await h.call('GET', '/team/list', undefined, k)).status).toBe(200);
  });

  it("delete removes the user's personal keys and leaves team service accounts working", async () => {
    await h.call('POST', '/team/new', { team_id: 'ops' });
    await h.call('POST', '/user/new', { user_id: 'frank' });
    const personal = (await h.call('POST', '/key/generate', { user_id: 'frank', team_id: 'ops' })).body;
    const sa = (
      await h.call('POST', '/key/service-account/generate', { team_id: 'ops', key_alias: 'frank-made-bot' })
    ).body;
    expect((await h.call('POST', '/user/delete', { user_ids: ['frank'] }, plain)).status).toBe(403);
    expect((await h.call('POST', '/user/delete', { user_ids: ['nobody-at-all'] })).status).toBe(404);
    const del = await h.call('POST', '/user/delete', { user_ids: ['frank'] });
    expect(del.body).toEqual({ deleted_users: ['frank'], deleted_keys: [personal.token_id] });
    expect(await h.lookup.verify(personal.key)).toEqual({ valid: false, code: 'not_found' });
    expect((await h.lookup.verify(sa.key)).valid).toBe(true);
    expect((await h.call('GET', '/user/info?user_id=frank')).status).toBe(404);
  });
});

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

describe('policies and audit', () => {
  it('new / list / test / update / delete, with NOTIFY on change', async () => {
    const heard: string[] = [];
    const unlisten = await h.database.listen('warden_policies', (p) => heard.push(p));
    const created = await h.call('POST', '/policy/new', policy);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'cap-tokens' });
    expect((await h.call('POST', '/policy/new', policy)).body.error.param).toBe('name');
    expect((await h.call('POST', '/policy/new', policy, plain)).status).toBe(403);
    const bad = await h.call('POST', '/policy/new', {
      name: 'evil',
      rules: [{ id: 'proto', require: { '==': [{ var: 'request.__proto__' }, 1] } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('proto');

    const list = await h.call('GET', '/policy/list');
    expect(list.body.policies.map((p: { name: string }) => p.name)).toEqual(['cap-tokens']);
    expect((await h.call('GET', '/policy/list', undefined, plain)).status).toBe(403);

    const refused = await h.call('POST', '/policy/test', {
      key_type: 'service_account',
      request: { model: 'm', max_tokens: 999 },
    });
    expect(refused.body.allowed).toBe(false);
    expect(refused.body.violations[0]).toMatchObject({
      policy: 'cap-tokens',
      rule: 'max-tokens',
      param: 'max_tokens',
    });
    const ok = await h.call('POST', '/policy/test', {
      key_type: 'user',
      request: { model: 'm', max_tokens: 999 },
    });
    expect(ok.body).toMatchObject({ allowed: true, violations: [] });
    await h.call('POST', '/team/new', { team_id: 'pt' });
    const sa = (await h.call('POST', '/key/service-account/generate', { team_id: 'pt' })).body.key;
    const viaKey = await h.call('POST', '/policy/test', { key: sa, request: { model: 'm', max_tokens: 10 } });
    expect(viaKey.body).toMatchObject({ allowed: true, request: { temperature: 0.2, max_tokens: 10 } });
    expect((await h.call('POST', '/policy/test', { request: {} })).status).toBe(400);
    expect((await h.call('POST', '/policy/test', { key_type: 'user', request: {} }, plain)).status).toBe(403);

    const upd = await h.call('POST', '/policy/update', { ...policy, rules: [policy.rules[1]] });
    expect(upd.status).toBe(200);
    expect((await h.call('POST', '/policy/update', { ...policy, name: 'ghost' })).status).toBe(404);
    const after = await h.call('POST', '/policy/test', {
      key_type: 'service_account',
      request: { max_tokens: 999 },
    });
    expect(after.body.allowed).toBe(true);

    expect((await h.call('POST', '/policy/delete', { name: 'ghost' })).status).toBe(404);
    expect((await h.call('POST', '/policy/delete', { name: 'cap-tokens' })).body).toEqual({
      deleted_policies: ['cap-tokens'],
    });
    const deadline = Date.now() + 1000;
    while (heard.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(heard).toEqual(['cap-tokens', 'cap-tokens', 'cap-tokens']);
    await unlisten();

    const audit = await h.call('GET', '/audit/list?object_type=policy');
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'policy.delete',
      'policy.update',
      'policy.new',
    ]);
    expect(audit.body.entries[2]).toMatchObject({ actor: 'master', before: null });
    expect((await h.call('GET', '/audit/list', undefined, plain)).status).toBe(403);
    expect((await h.call('GET', '/audit/list?page=-1')).status).toBe(400);
  });
});
