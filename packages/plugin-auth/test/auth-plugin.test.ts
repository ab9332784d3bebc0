import { createMemoryLogger, type Endpoint, isGatewayError, RequestState } from '@warden/core';
import { teams } from '@warden/db';
import { createTestDatabase, type TestDatabase } from '@warden/db/testing';
import { createKey, createKeyLookup, hashKey, type KeyInput, type KeyLookup } from '@warden/keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthPlugin, modelAllowed } from '../src/index.ts';

const MASTER = 'sk-master-0123456789';
let database: TestDatabase;
let lookup: KeyLookup;
let plugin: ReturnType<typeof createAuthPlugin>;
const logger = createMemoryLogger();

beforeAll(async () => {
  database = await createTestDatabase({ logger });
  lookup = await createKeyLookup({ database, logger });
  plugin = createAuthPlugin({ masterKey: MASTER, lookup });
  await database.db.insert(teams).values({ teamId: 't1', models: ['gpt-4o', 'gpt-4o-mini', 'claude-*'] });
});
afterAll(async () => {
  await lookup?.close();
  await database?.cleanup();
});

async function key(input: KeyInput): Promise<string> {
  const { rawKey } = await database.db.transaction((tx) =>
    createKey(database, tx, { input, createdBy: 'master' }),
  );
  if (database.kind === 'postgres') await new Promise((r) => setTimeout(r, 100));
  return rawKey;
}

function request(
  headers: Record<string, string>,
  opts: { model?: string; route?: string; method?: string; endpoint?: Endpoint | null } = {},
) {
  const route = opts.route ?? '/chat/completions';
  return new RequestState({
    requestId: 'r1',
    method: opts.method ?? 'POST',
    route,
    endpoint: opts.endpoint === undefined ? (route === '/chat/completions' ? 'chat' : null) : opts.endpoint,
    headers,
    signal: new AbortController().signal,
    body: { model: opts.model ?? 'gpt-4o', messages: [] },
  });
}

async function run(state: RequestState) {
  try {
    await plugin.onRequest?.(state);
    return { ok: true as const, state };
  } catch (err) {
    if (!isGatewayError(err)) throw err;
    return { ok: false as const, status: err.status, type: err.type, message: err.message, param: err.param };
  }
}

describe('auth plugin', () => {
  it('accepts the key from every supported header', async () => {
    const raw = await key({});
    const variants: Record<string, string>[] = [
      { authorization: `Bearer ${raw}` },
      { 'x-litellm-api-key': raw },
      { 'api-key': raw },
      { 'x-api-key': raw },
    ];
    for (const h of variants) {
      const r = await run(request(h));
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.state.key?.hash).toBe(hashKey(raw));
    }
  });

  it('refuses missing, unknown, hashed, blocked and expired keys with 401', async () => {
    const missing = await run(request({}));
    expect(missing).toMatchObject({ ok: false, status: 401, type: 'auth_error' });
    if (!missing.ok) expect(missing.message.startsWith('Authentication Error, ')).toBe(true);
    expect(await run(request({ authorization: 'Bearer sk-unknown' }))).toMatchObject({ status: 401 });
    const raw = await key({});
    expect(await run(request({ authorization: `Bearer ${hashKey(raw)}` }))).toMatchObject({
      status: 401,
      type: 'auth_error',
    });
    const blocked = await key({ blocked: true });
    expect(await run(request({ authorization: `Bearer ${blocked}` }))).toMatchObject({
      status: 401,
      type: 'auth_error',
    });
    const expired = await key({ expires: new Date(Date.now() - 1000) });
    expect(await run(request({ authorization: `Bearer ${expired}` }))).toMatchObject({
      status: 401,
      type: 'expired_key',
    });
  });

  it('gives the master key an admin context', async () => {
    const r = await run(request({ authorization: `Bearer ${MASTER}` }, { model: 'anything' }));
    expect(r.ok && r.state.key).toMatchObject({ ownerType: 'admin', isAdmin: true, scopes: [] });
  });

  it('applies aliases, then checks key ∩ team models', async () => {
    const raw = await key({
      teamId: 't1',
      models: ['gpt-4o*'],
      aliases: { fast: 'gpt-4o-mini', bad: 'claude-3' },
    });
    const aliased = await run(request({ authorization: `Bearer ${raw}` }, { model: 'fast' }));
    expect(aliased.ok && aliased.state.model).toBe('gpt-4o-mini');
    const denied = await run(request({ authorization: `Bearer ${raw}` }, { model: 'bad' }));
    expect(denied).toMatchObject({ ok: false, status: 403, type: 'key_model_access_denied', param: 'model' });
    const teamOnly = await run(request({ authorization: `Bearer ${raw}` }, { model: 'claude-2' }));
    expect(teamOnly).toMatchObject({ status: 403 });
  });

  it('enforces key_type presets and allowed_routes', async () => {
    const mgmt = await key({ keyType: 'management' });
    expect(await run(request({ authorization: `Bearer ${mgmt}` }))).toMatchObject({
      status: 403,
      type: 'permission_error',
    });
    const ro = await key({ keyType: 'read_only' });
    expect(await run(request({ authorization: `Bearer ${ro}` }))).toMatchObject({ status: 403 });
    expect(
      (await run(request({ authorization: `Bearer ${ro}` }, { route: '/models', method: 'GET' }))).ok,
    ).toBe(true);
    const llm = await key({ keyType: 'llm_api' });
    expect((await run(request({ authorization: `Bearer ${llm}` }))).ok).toBe(true);
    const routes = await key({ allowedRoutes: ['/v1/embeddings'] });
    expect(await run(request({ authorization: `Bearer ${routes}` }))).toMatchObject({ status: 403 });
    expect(
      (
        await run(
          request({ authorization: `Bearer ${routes}` }, { route: '/embeddings', endpoint: 'embeddings' }),
        )
      ).ok,
    ).toBe(true);
  });

  it('exports modelAllowed with globs', async () => {
    const raw = await key({ models: ['gpt-*'] });
    const r = await lookup.verify(raw);
    if (!r.valid) throw new Error('invalid');
    expect(modelAllowed(r.key, 'gpt-4o')).toBe(true);
    expect(modelAllowed(r.key, 'claude')).toBe(false);
    expect(logger.lines.join('\n')).not.toContain(raw);
  });
});
