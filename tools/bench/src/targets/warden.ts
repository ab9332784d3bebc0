import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChainDescription, KEY_PARAMS, renderConfig, TEAM_ALIAS } from '../chain/chain.ts';
import { type MockModelKind, requestBody } from '../chain/models.ts';
import { freePort, startProcess, stopProcess, waitForHttp } from '../processes.ts';
import { JSON_HEADERS, type Target, type TargetContext } from './types.ts';

export const WARDEN_ENTRY = 'apps/gateway/src/cli/main.ts';
const MASTER_KEY = 'sk-bench-master-0123456789abcdefghijklmnop';

/**
 * Warden with its full chain: the config's founding policy and 10-rule policy, then a team and a
 * service-account key with rpm/tpm limits and a budget made through the admin API, exactly as an
 * operator would. Spend logs go to whichever database the gateway runs on.
 */
export async function wardenTarget(
  ctx: TargetContext,
  opts: { name: string; workers: number; chain: ChainDescription; cpuProfDir: string | null },
): Promise<Target> {
  const dir = join(ctx.runDir, opts.name);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, renderConfig(`http://127.0.0.1:${ctx.mockPort}/v1`, ctx.mockApiKey));
  const port = await freePort();
  // --cpu-prof writes the profile when the process exits normally (SIGTERM → graceful stop).
  const prof = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(opts.cpuProfDir, opts.name)}`] : [];
  const args = [
    ...prof,
    '--import',
    'tsx',
    WARDEN_ENTRY,
    'start',
    '--config',
    configPath,
    '--port',
    String(port),
  ];
  if (opts.workers > 1) args.push('--workers', String(opts.workers));
  const env: NodeJS.ProcessEnv = {
    WARDEN_MASTER_KEY: MASTER_KEY,
    WARDEN_DATA_DIR: dataDir,
    NODE_ENV: 'production',
  };
  const proc = startProcess({
    name: opts.name,
    cmd: process.execPath,
    args,
    cwd: ctx.repoRoot,
    core: ctx.gatewayCore,
    env,
    logFile: join(dir, 'gateway.log'),
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(proc, `${origin}/health/readiness`, 90_000);
    const admin = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const res = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, authorization: `Bearer ${MASTER_KEY}` },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${opts.name}: ${path} → ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    // Aliases are unique per database; two Warden targets may share one Postgres.
    const team = await admin('/team/new', { team_alias: `${TEAM_ALIAS}-${opts.name}-${port}` });
    const key = await admin('/key/service-account/generate', {
      team_id: team.team_id,
      ...KEY_PARAMS,
      key_alias: `${KEY_PARAMS.key_alias}-${opts.name}-${port}`,
    });
    if (typeof key.key !== 'string') throw new Error(`${opts.name}: no key in ${JSON.stringify(key)}`);
    const headers = { ...JSON_HEADERS, authorization: `Bearer ${key.key}` };
    return {
      name: opts.name,
      process: proc,
      workers: opts.workers,
      spec: (kind: MockModelKind) => ({
        origin,
        path: '/v1/chat/completions',
        headers,
        body: requestBody(kind),
      }),
      info: {
        port,
        workers: opts.workers,
        chainHash: opts.chain.hash,
        database: opts.chain.database,
        limiter: opts.chain.limiter,
        config: configPath,
      },
      stop: () => stopProcess(proc, 8000),
    };
  } catch (err) {
    await stopProcess(proc);
    throw err;
  }
}
