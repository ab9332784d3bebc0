import { auditLog, keys } from '@warden/db';
import { hashKey } from '@warden/keys';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, MASTER, startHarness } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  expect(
    (await h.call('POST', '/team/new', { team_id: 'team-1', models: ['gpt-4o', 'gpt-4o-mini'] })).status,
  ).toBe(200);
  expect((await h.call('POST', '/user/new', { user_id: 'root', user_role: 'proxy_admin' })).status).toBe(200);
});
afterAll(() => h?.close());

const rowCounts = async () => {
  const [k] = await h.database.db.select({ n: count() }).from(keys);
  const [a] = await h.database.db.select({ n: count() }).from(auditLog);
  return { keys: k?.n, audit: a?.n };
};

describe('POST /key/generate', () => {
  it('creates a key with the LiteLLM response shape; dollars on the wire, micros in the DB', async () => {
    const r = await h.call('POST', '/key/generate', {
      key_alias: 'alice-laptop',
      user_id: 'alice',
      team_id: 'team-1',
      max_budget: 12.5,
      models: ['gpt-4o'],
      key_type: 'llm_api',
      metadata: { project: 'x' },
      duration: '30d',
      some_litellm_field_we_ignore: true,
    });
    expect(r.status).toBe(200);
    expect(r.body.key).toMatch(/^sk-[A-Za-z0-9_-]{32,}$/);
    expect(r.body).toMatchObject({
      token: r.body.key,
      token_id: hashKey(r.body.key),
      key_name: `sk-...${r.body.key.slice(-4)}`,
      key_alias: 'alice-laptop',
      owner_type: 'user',
      team_id: 'team-1',
      user_id: 'alice',
      models: ['gpt-4o'],
      max_budget: 12.5,
      key_type: 'llm_api',
      metadata: { project: 'x' },
      spend: 0,
    });
    expect(new Date(r.body.expires).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const [row] = await h.database.db.select().from(keys).limit(1);
    expect(row?.maxBudgetMicros).toBe(12_500_000);
    expect(
      h.logger.lines.some(
        (l) => l.includes('ignoring unknown fields') && l.includes('some_litellm_field_we_ignore'),
      ),
    ).toBe(true);
  });

  it('accepts a user_id with no user row, creating none', async () => {
    const r = await h.call('POST', '/key/generate', { user_id: 'nobody-yet' });
    expect(r.status).toBe(200);
    expect((await h.call('GET', '/user/info?user_id=nobody-yet')).status).toBe(404);
  });

  it('accepts a custom sk- key', async () => {
    const r = await h.call('POST', '/key/generate', { key: 'sk-custom-0001' });
    expect(r.status).toBe(200);
    expect(r.body.token_id).toBe(hashKey('sk-custom-0001'));
  });

  it.each([
    ['wrong field type', { max_budget: 'ten' }, 'max_budget'],
    ['negative budget', { max_budget: -1 }, 'max_budget'],
    ['negative rpm', { rpm_limit: -5 }, 'rpm_limit'],
    ['fractional tpm', { tpm_limit: 1.5 }, 'tpm_limit'],
    ['models not a list', { models: 'gpt-4o' }, 'models'],
    ['bad key_type', { key_type: 'superuser' }, 'key_type'],
    ['bad duration', { duration: 'forever' }, 'duration'],
    ['custom key without sk-', { key: 'abc123' }, 'key'],
    ['duplicate alias', { key_alias: 'alice-laptop' }, 'key_alias'],
    ['unknown team', { team_id: 'ghost' }, 'team_id'],
    ['service account without team', { metadata: { service_account_id: 'bot' } }, 'team_id'],
  ])('refuses %s with 400 and writes nothing', async (_name, body, param) => {
    const before = await rowCounts();
    const r = await h.call('POST', '/key/generate', body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: 'bad_request_error', param, code: '400' });
    expect(r.body.error.message.length).toBeGreaterThan(10);
    expect(await rowCounts()).toEqual(before);
  });

  it('uses the exact LiteLLM messages for team errors', async () => {
    const sa = await h.call('POST', '/key/generate', { metadata: { service_account_id: 'bot' } });
    expect(sa.body.error.message).toBe(
      'team_id is required for service account keys. Please specify `team_id` in the request body.',
    );
    const team = await h.call('POST', '/key/generate', { team_id: 'ghost' });
    expect(team.body.error.message).toMatch(/^team_id does not exist in the database/);
  });

  it('refuses malformed JSON and non-objects', async () => {
    expect((await h.call('POST', '/key/generate', '{"oops')).body.error.type).toBe('bad_request_error');
    expect((await h.call('POST', '/key/generate', '[1,2]')).status).toBe(400);
  });

  it('refuses non-admin and missing keys', async () => {
    const plain = (await h.call('POST', '/key/generate', { user_id: 'bob' })).body.key;
    const r = await h.call('POST', '/key/generate', {}, plain);
    expect(r.status).toBe(403);
    expect((await h.call('POST', '/key/generate', {}, null)).status).toBe(401);
    expect((await h.call('POST', '/key/generate', {}, 'sk-not-a-real-key')).status).toBe(401);
  });

  it('lets a proxy_admin user key administer', async () => {
    const adminKey = (await h.call('POST', '/key/generate', { user_id: 'root' })).body.key;
    const r = await h.call('POST', '/key/generate', { user_id: 'carol' }, adminKey);
    expect(r.status).toBe(200);
    const audit = await h.call('GET', `/audit/list?object_id=${r.body.token_id}`);
    expect(audit.body.entries[0]).toMatchObject({ actor: hashKey(adminKey), action: 'key.generate' });
  });
});

describe('POST /key/service-account/generate', () => {
  it('creates a service account; id defaults to the alias; user_id forced null', async () => {
    const r = await h.call('POST', '/key/service-account/generate', {
      team_id: 'team-1',
      key_alias: 'billing-bot',
      user_id: 'x',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ owner_type: 'service_account', user_id: null, team_id: 'team-1' });
    expect(r.body.metadata.service_account_id).toBe('billing-bot');
    const anon = await h.call('POST', '/key/service-account/generate', { team_id: 'team-1' });
    expect(anon.body.metadata.service_account_id).toMatch(/^sa_[A-Za-z0-9_-]{12}$/);
  });
  it('needs an existing team', async () => {
    expect((await h.call('POST', '/key/service-account/generate', {})).body.error.param).toBe('team_id');
    expect((await h.call('POST', '/key/service-account/generate', { team_id: 'ghost' })).status).toBe(400);
  });
  it('keeps the service-account id immutable', async () => {
    const r = await h.call('POST', '/key/service-account/generate', { team_id: 'team-1' });
    const change = await h.call('POST', '/key/update', {
      key: r.body.key,
      metadata: { service_account_id: 'other' },
    });
    expect(change.status).toBe(400);
    expect(change.body.error.param).toBe('metadata.service_account_id');
    const remove = await h.call('POST', '/key/update', {
      key: r.body.key,
      metadata: { service_account_id: null },
    });
    expect(remove.status).toBe(400);
    const merge = await h.call('POST', '/key/update', { key: r.body.token_id, metadata: { owner: 'ops' } });
    expect(merge.status).toBe(200);
    expect(merge.body.metadata).toEqual({
      service_account_id: r.body.metadata.service_account_id,
      owner: 'ops',
    });
  });
});

describe('key lifecycle routes', () => {
  it('update, block, unblock, regenerate, delete; unknown keys 404; non-admin 403', async () => {
    const created = (await h.call('POST', '/key/generate', { team_id: 'team-1', key_type: 'llm_api' })).body;
    const key = created.key as string;
    expect((await h.lookup.verify(key)).valid).toBe(true);

    const upd = await h.call('POST', '/key/update', {
      key,
      max_budget: 3,
      rpm_limit: 7,
      models: ['gpt-4o-mini'],
    });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({
      max_budget: 3,
      rpm_limit: 7,
      models: ['gpt-4o-mini'],
      key_type: 'llm_api',
    });
    expect((await h.call('POST', '/key/update', { key, rpm_limit: 'x' })).body.error.param).toBe('rpm_limit');

    expect((await h.call('POST', '/key/block', { key })).body.blocked).toBe(true);
    expect(await h.lookup.verify(key)).toEqual({ valid: false, code: 'blocked' });
    expect((await h.call('POST', '/key/unblock', { key: created.token_id })).body.blocked).toBe(false);
    expect((await h.lookup.verify(key)).valid).toBe(true);

    const regen = await h.call('POST', '/key/regenerate', { key });
    expect(regen.status).toBe(200);
    expect(regen.body.key).not.toBe(key);
    expect(regen.body).toMatchObject({ max_budget: 3, rpm_limit: 7 });
    expect(await h.lookup.verify(key)).toEqual({ valid: false, code: 'not_found' });
    expect((await h.lookup.verify(regen.body.key)).valid).toBe(true);

    const unknown = hashKey('sk-never-issued');
    for (const path of ['/key/update', '/key/block', '/key/unblock', '/key/regenerate']) {
      const r = await h.call('POST', path, { key: unknown });
      expect([path, r.status]).toEqual([path, 404]);
    }
    expect((await h.call('POST', '/key/block', { key: 'garbage' })).status).toBe(400);
    const other = (await h.call('POST', '/key/generate', {})).body.key;
    for (const path of ['/key/update', '/key/block', '/key/unblock', '/key/regenerate', '/key/delete']) {
      expect(
        (await h.call('POST', path, { key: regen.body.key, keys: [regen.body.key] }, other)).status,
      ).toBe(403);
    }

    expect((await h.call('POST', '/key/delete', { keys: [regen.body.key, unknown] })).status).toBe(404);
    expect((await h.lookup.verify(regen.body.key)).valid).toBe(true); // nothing deleted
    const del = await h.call('POST', '/key/delete', { keys: [regen.body.key] });
    expect(del.body).toEqual({ deleted_keys: [regen.body.token_id] });
    expect(await h.lookup.verify(regen.body.key)).toEqual({ valid: false, code: 'not_found' });
    expect((await h.call('POST', '/key/delete', {})).status).toBe(400);
  });

  it('GET /key/info: any key reads its own info only', async () => {
    const mine = (await h.call('POST', '/key/generate', { key_alias: 'mine', max_budget: 1 })).body;
    const theirs = (await h.call('POST', '/key/generate', { key_alias: 'theirs' })).body;
    const own = await h.call('GET', `/key/info?key=${mine.token_id}`, undefined, mine.key);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      key: mine.token_id,
      info: { key_alias: 'mine', spend: 0, max_budget: 1 },
    });
    expect(JSON.stringify(own.body.info)).not.toContain(mine.key);
    expect((await h.call('GET', '/key/info', undefined, mine.key)).body.info.key_alias).toBe('mine');
    expect((await h.call('GET', `/key/info?key=${theirs.token_id}`, undefined, mine.key)).status).toBe(403);
    expect((await h.call('GET', `/key/info?key=${theirs.token_id}`)).status).toBe(200);
    expect((await h.call('GET', `/key/info?key=${hashKey('sk-nope')}`)).status).toBe(404);
  });

  it('a hash sent as the key does not authenticate', async () => {
    const k = (await h.call('POST', '/key/generate', {})).body;
    expect((await h.call('GET', '/key/info', undefined, k.token_id)).status).toBe(401);
  });

  it('GET /key/list paginates and filters in SQL', async () => {
    await h.call('POST', '/team/new', { team_id: 'list-team' });
    for (let i = 0; i < 5; i++)
      await h.call('POST', '/key/generate', { team_id: 'list-team', key_alias: `list-${i}` });
    await h.call('POST', '/key/service-account/generate', { team_id: 'list-team', key_alias: 'list-sa' });
    const p1 = await h.call('GET', '/key/list?team_id=list-team&size=4&page=1');
    expect(p1.body).toMatchObject({ total_count: 6, current_page: 1, total_pages: 2 });
    expect(p1.body.keys).toHaveLength(4);
    expect(typeof p1.body.keys[0]).toBe('string');
    const p2 = await h.call('GET', '/key/list?team_id=list-team&size=4&page=2');
    expect(p2.body.keys).toHaveLength(2);
    const sa = await h.call(
      'GET',
      '/key/list?team_id=list-team&owner_type=service_account&return_full_object=true',
    );
    expect(sa.body.keys.map((k: { key_alias: string }) => k.key_alias)).toEqual(['list-sa']);
    const team = await h.call('GET', '/key/list?team_id=list-team&owner_type=team');
    expect(team.body.total_count).toBe(5);
    const contains = await h.call('GET', '/key/list?key_alias_contains=ist-3');
    expect(contains.body.total_count).toBe(1);
    expect((await h.call('GET', '/key/list?key_alias=list-1')).body.total_count).toBe(1);
    expect((await h.call('GET', '/key/list?page=0')).status).toBe(400);
    expect((await h.call('GET', '/key/list?owner_type=robot')).status).toBe(400);
    const nonAdmin = (await h.call('POST', '/key/generate', {})).body.key;
    expect((await h.call('GET', '/key/list', undefined, nonAdmin)).status).toBe(403);
  });
});

describe('secrets', () => {
  it('never logs a raw key, and returns one only from generate/regenerate', async () => {
    const lines = h.logger.lines.join('\n');
    expect(lines).not.toMatch(/sk-[A-Za-z0-9_-]{30,}/);
    expect(lines).not.toContain(MASTER);
    const gens = h.responses.filter((t) => t.includes('"token_id"') && t.includes('"key":"sk-'));
    const issued = new Set(gens.map((t) => JSON.parse(t).key as string));
    const audit = await h.call('GET', '/audit/list?size=500');
    const list = await h.call('GET', '/key/list?return_full_object=true&size=100');
    const team = await h.call('GET', '/team/info?team_id=team-1');
    for (const text of [JSON.stringify(audit.body), JSON.stringify(list.body), JSON.stringify(team.body)]) {
      for (const raw of issued) expect(text).not.toContain(raw);
    }
  });
});
