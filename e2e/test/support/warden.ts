import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, type StartedProcess, startProcess } from '@warden/testkit';
import { stringify } from 'yaml';

export const REPO = resolve(import.meta.dirname, '../../..');
export const CLI = join(REPO, 'apps/gateway/src/cli/main.ts');
export const MASTER_KEY = 'sk-e2e-master-key-00000000000000000000';

export interface WardenProcess {
  url: string;
  port: number;
  proc: StartedProcess;
  dataDir: string;
  configPath: string;
  /** fetch with the master key (or `key`) and a JSON body. */
  call(path: string, body?: unknown, key?: string | null): Promise<Response>;
}

/** Writes a config (object → YAML) into a fresh folder and returns its path. */
export function writeConfig(config: unknown, dir = mkdtempSync(join(tmpdir(), 'warden-e2e-'))): string {
  const path = join(dir, 'config.yaml');
  writeFileSync(path, typeof config === 'string' ? config : stringify(config));
  return path;
}

/**
 * Starts a real Warden process (`warden start`) and waits until it answers. `env` adds to the
 * environment; pass `DATABASE_URL`/`REDIS_URL` explicitly, they are removed otherwise so a test
 * decides what it runs on.
 */
export async function startWarden(o: {
  config?: unknown;
  configPath?: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  port?: number;
  dataDir?: string;
  timeoutMs?: number;
}): Promise<WardenProcess> {
  const port = o.port ?? (await freePort());
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'warden-data-'));
  const configPath = o.configPath ?? writeConfig(o.config ?? {});
  const proc = await startProcess({
    cmd: process.execPath,
    args: [
      '--import',
      'tsx',
      CLI,
      'start',
      '--config',
      configPath,
      '--port',
      String(port),
      ...(o.args ?? []),
    ],
    cwd: REPO,
    env: {
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      WARDEN_MASTER_KEY: MASTER_KEY,
      WARDEN_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...o.env,
    },
    readyUrl: `http://127.0.0.1:${port}/health/liveliness`,
    timeoutMs: o.timeoutMs ?? 60_000,
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    proc,
    dataDir,
    configPath,
    call(path, body, key = MASTER_KEY) {
      const headers: Record<string, string> = {};
      if (key) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      return fetch(url + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
  };
}

/** Runs the CLI to completion (config check, migrate, refused starts). */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; output: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: REPO,
      env: Object.fromEntries(
        Object.entries({
          ...process.env,
          DATABASE_URL: undefined,
          REDIS_URL: undefined,
          LOG_LEVEL: 'warn',
          ...env,
        }).filter(([, v]) => v !== undefined),
      ) as NodeJS.ProcessEnv,
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolvePromise({ code, output }));
  });
}
