import { readdirSync } from 'node:fs';
import { needs, startTcpProxy, stopAll, type TcpProxy, waitFor } from '@warden/testkit';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase, viaPort } from './support/pg.ts';
import { MASTER_KEY, startWarden, writeConfig } from './support/warden.ts';

const pg = needs('pg', 'spend logs survive a database outage');

describe.skipIf(!pg.ok)('spend logs while the database is away', () => {
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  let proxy: TcpProxy;
  let sql: postgres.Sql;
  const configPath = writeConfig({ model_list: [{ model_name: 'm', litellm_params: { model: 'mock/m' } }] });

  beforeAll(async () => {
    db = await createTempDatabase(pg.url);
    const target = new URL(db.url);
    proxy = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
    sql = postgres(db.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await stopAll();
    await sql?.end({ timeout: 5 });
    await proxy?.close();
    await db?.drop();
  });

  const rowsFor = async (prefix: string) =>
    (await sql`select request_id from spend_logs where request_id like ${`${prefix}%`}`).map(
      (r) => r.request_id as string,
    );

  async function send(w: { url: string }, id: string, key = MASTER_KEY): Promise<number> {
    const res = await fetch(`${w.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'x-request-id': id,
      },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await res.arrayBuffer();
    return res.status;
  }

  it('keeps serving through an outage and writes every row exactly once after it', async () => {
    const w = await startWarden({ configPath, env: { DATABASE_URL: viaPort(db.url, proxy.port) } });
    // Half the traffic uses a virtual key: it must keep working on what was last known about it
    // even though the lost LISTEN connection dropped the key cache.
    const { key } = await (await w.call('/key/generate', { user_id: 'outage-user' })).json();
    const ids: string[] = [];
    const statuses: number[] = [];
    const fire = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const id = `outage-${ids.length}`;
        ids.push(id);
        statuses.push(await send(w, id, i % 2 === 0 ? MASTER_KEY : key));
      }
    };
    await fire(10);
    proxy.cut();
    const until = Date.now() + 3000;
    while (Date.now() < until) await fire(5);
    proxy.restore();
    await fire(10);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    await waitFor(async () => (await rowsFor('outage-')).length >= ids.length, {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    const rows = await rowsFor('outage-');
    expect(rows.length).toBe(ids.length);
    expect(new Set(rows).size).toBe(ids.length);
    await w.proc.stop();
  });

  it('SIGTERM with the database down spills to a file that the next start replays', async () => {
    const dataDirOwner = await startWarden({
      configPath,
      env: { DATABASE_URL: viaPort(db.url, proxy.port) },
    });
    const dataDir = dataDirOwner.dataDir;
    proxy.cut();
    for (let i = 0; i < 5; i++) expect(await send(dataDirOwner, `spill-${i}`)).toBe(200);
    expect((await dataDirOwner.proc.kill('SIGTERM')).code).toBe(0);
    expect(readdirSync(dataDir, { recursive: true }).some((f) => String(f).includes('spill'))).toBe(true);
    expect(await rowsFor('spill-')).toHaveLength(0);
    proxy.restore();
    const again = await startWarden({
      configPath,
      dataDir,
      env: { DATABASE_URL: viaPort(db.url, proxy.port) },
    });
    await waitFor(async () => (await rowsFor('spill-')).length === 5, { timeoutMs: 15_000, intervalMs: 200 });
    expect(new Set(await rowsFor('spill-')).size).toBe(5);
    await again.proc.stop();
  });
});
