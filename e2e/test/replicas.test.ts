import { needs, startTcpProxy, stopAll, type TcpProxy, waitFor } from '@warden/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase, viaPort } from './support/pg.ts';
import { startWarden, type WardenProcess } from './support/warden.ts';

const pg = needs('pg', 'replicas on one Postgres');

const config = {
  model_list: [
    { model_name: 'gpt-4o-mini', litellm_params: { model: 'mock/gpt-4o-mini' } },
    { model_name: 'gpt-4o', litellm_params: { model: 'mock/gpt-4o' } },
  ],
  // Ten minutes: only LISTEN/NOTIFY can make a change visible within a second.
  general_settings: { key_cache_ttl_seconds: 600 },
};
const chat = (model = 'gpt-4o-mini') => ({ model, messages: [{ role: 'user', content: 'hi' }], user: 'u' });

describe.skipIf(!pg.ok)('two gateway processes on one Postgres', () => {
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  let a: WardenProcess;
  let b: WardenProcess;
  let teamId: string;

  beforeAll(async () => {
    db = await createTempDatabase(pg.url);
    a = await startWarden({ config, env: { DATABASE_URL: db.url } });
    b = await startWarden({ config, env: { DATABASE_URL: db.url } });
    const team = await (await a.call('/team/new', { team_alias: 'replica-team' })).json();
    teamId = team.team_id;
  });
  afterAll(async () => {
    await stopAll();
    await db?.drop();
  });

  /** Creates a key through A and warms B's cache with one successful call. */
  async function warmKey(body: Record<string, unknown>, route = '/key/generate'): Promise<string> {
    const res = await a.call(route, body);
    expect(res.status).toBe(200);
    const { key } = await res.json();
    expect((await b.call('/v1/chat/completions', chat(), key)).status).toBe(200);
    return key;
  }

  /** Polls B until `check` holds and returns how long it took after the change. */
  async function seenByB(check: () => Promise<boolean>): Promise<number> {
    const started = Date.now();
    await waitFor(check, { timeoutMs: 3000, intervalMs: 20, message: 'replica B did not see the change' });
    return Date.now() - started;
  }

  it('a key blocked through one replica is refused by the other within a second', async () => {
    const key = await warmKey({ team_id: teamId });
    expect((await a.call('/key/block', { key })).status).toBe(200);
    const took = await seenByB(
      async () => (await b.call('/v1/chat/completions', chat(), key)).status === 401,
    );
    expect(took).toBeLessThan(1000);
  });

  it('a deleted key likewise', async () => {
    const key = await warmKey({ user_id: 'alice' });
    expect((await a.call('/key/delete', { keys: [key] })).status).toBe(200);
    expect(
      await seenByB(async () => (await b.call('/v1/chat/completions', chat(), key)).status === 401),
    ).toBeLessThan(1000);
  });

  it("a deleted team's service account likewise", async () => {
    const team = await (await a.call('/team/new', { team_alias: 'doomed' })).json();
    const key = await warmKey(
      { team_id: team.team_id, key_alias: 'doomed-sa' },
      '/key/service-account/generate',
    );
    expect((await a.call('/team/delete', { team_ids: [team.team_id] })).status).toBe(200);
    expect(
      await seenByB(async () => (await b.call('/v1/chat/completions', chat(), key)).status === 401),
    ).toBeLessThan(1000);
  });

  it('a changed model list likewise', async () => {
    const key = await warmKey({ team_id: teamId, models: ['gpt-4o-mini', 'gpt-4o'] });
    expect((await b.call('/v1/chat/completions', chat('gpt-4o'), key)).status).toBe(200);
    expect((await a.call('/key/update', { key, models: ['gpt-4o-mini'] })).status).toBe(200);
    expect(
      await seenByB(async () => (await b.call('/v1/chat/completions', chat('gpt-4o'), key)).status === 403),
    ).toBeLessThan(1000);
    expect((await b.call('/v1/chat/completions', chat(), key)).status).toBe(200);
  });
});

describe.skipIf(!pg.ok)('readiness is a real probe', () => {
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  let proxy: TcpProxy;
  let w: WardenProcess;

  beforeAll(async () => {
    db = await createTempDatabase(pg.url);
    const target = new URL(db.url);
    proxy = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
    w = await startWarden({ config, env: { DATABASE_URL: viaPort(db.url, proxy.port) } });
  });
  afterAll(async () => {
    await stopAll();
    await proxy?.close();
    await db?.drop();
  });

  it('answers 503 while Postgres is unreachable and 200 after', async () => {
    expect((await w.call('/health/readiness', undefined, null)).status).toBe(200);
    proxy.cut();
    await waitFor(async () => (await w.call('/health/readiness', undefined, null)).status === 503, {
      timeoutMs: 10_000,
    });
    const down = await (await w.call('/health/readiness', undefined, null)).json();
    expect(down.status).toBe('unhealthy');
    proxy.restore();
    await waitFor(async () => (await w.call('/health/readiness', undefined, null)).status === 200, {
      timeoutMs: 15_000,
    });
    // Liveness never depended on the database.
    expect((await w.call('/health/liveness', undefined, null)).status).toBe(200);
  });
});

describe.skipIf(!pg.ok)('policies and workers on Postgres', () => {
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  afterAll(async () => {
    await stopAll();
    await db?.drop();
  });

  it('a policy created through one replica applies on the other within a second', async () => {
    db = await createTempDatabase(pg.url);
    const a = await startWarden({ config, env: { DATABASE_URL: db.url } });
    const b = await startWarden({ config, env: { DATABASE_URL: db.url } });
    const body = { ...chat(), temperature: 1.5 };
    expect((await b.call('/v1/chat/completions', body)).status).toBe(200);
    const policy = {
      name: 'cool-it',
      rules: [
        {
          id: 'temperature',
          require: { '<=': [{ var: 'request.temperature' }, 1] },
          message: 'temperature must be at most 1',
          param: 'temperature',
        },
      ],
    };
    expect((await a.call('/policy/new', policy)).status).toBe(200);
    const started = Date.now();
    await waitFor(async () => (await b.call('/v1/chat/completions', body)).status === 400, {
      timeoutMs: 3000,
      intervalMs: 20,
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('--workers 2 starts on Postgres, serves, warns about per-process limits and stops cleanly on SIGTERM', async () => {
    const w = await startWarden({ config, env: { DATABASE_URL: db.url }, args: ['--workers', '2'] });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => w.call('/v1/chat/completions', chat())),
    );
    expect(results.map((r) => r.status).every((s) => s === 200)).toBe(true);
    expect(w.proc.output()).toContain('without REDIS_URL');
    expect((await w.proc.kill('SIGTERM')).code).toBe(0);
  });
});
