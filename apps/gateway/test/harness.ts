import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '@warden/core';
import { createTestDatabase, type TestDatabase } from '@warden/db/testing';
import { type MockUpstream, type MockUpstreamOptions, startMockUpstream } from '@warden/testkit';
import { resolveConfig } from '../src/config/load.ts';
import { createGateway, type Gateway } from '../src/gateway.ts';
import { listen, type RunningServer } from '../src/server.ts';

export const MASTER_KEY = 'sk-test-master-key-0123456789abcdef';
export const UPSTREAM_KEY = 'sk-upstream-secret';

export interface TestGateway {
  url: string;
  mock: MockUpstream;
  gateway: Gateway;
  server: RunningServer;
  database: TestDatabase;
  logs: string[];
  /** fetch against the gateway with the master key (or `key`) and a JSON body. */
  call(
    path: string,
    body?: unknown,
    init?: { key?: string | null; headers?: Record<string, string>; method?: string },
  ): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A real gateway in this process, on a free port, in front of the strict mock upstream, on the test
 * database of this file (PGlite clone, or a fresh schema on Postgres with DATABASE_URL).
 * `config` receives the mock's URL and returns the config document.
 */
export async function startTestGateway(
  config: (mockUrl: string) => Record<string, unknown> = defaultConfig,
  options: {
    mock?: MockUpstreamOptions;
    keyCacheTtlMs?: number;
    hookTimeoutMs?: number;
    redisUrl?: string | null;
    dir?: string;
  } = {},
): Promise<TestGateway> {
  const mock = await startMockUpstream({ apiKey: UPSTREAM_KEY, ...options.mock });
  const database = await createTestDatabase();
  const logger = createMemoryLogger('debug');
  const dataDir = mkdtempSync(join(tmpdir(), 'warden-gw-'));
  let gateway: Gateway;
  try {
    const resolved = resolveConfig(config(mock.url), options.dir ?? process.cwd(), {});
    gateway = await createGateway({
      config: resolved,
      masterKey: MASTER_KEY,
      logger,
      databaseUrl: null,
      redisUrl: options.redisUrl ?? null,
      dataDir,
      database,
      uiDir: null,
      keyCacheTtlMs: options.keyCacheTtlMs,
      hookTimeoutMs: options.hookTimeoutMs,
    });
  } catch (err) {
    await mock.close();
    await database.cleanup();
    throw err;
  }
  const server = await listen(gateway, 0, '127.0.0.1', logger);
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    mock,
    gateway,
    server,
    database,
    logs: logger.lines,
    call(path, body, init = {}) {
      const key = init.key === undefined ? MASTER_KEY : init.key;
      const headers: Record<string, string> = { ...init.headers };
      if (key !== null) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      return fetch(url + path, {
        method: init.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async close() {
      await server.shutdown(1000);
      await mock.close();
      await database.cleanup();
    },
  };
}

export function defaultConfig(mockUrl: string): Record<string, unknown> {
  return {
    model_list: [
      {
        model_name: 'gpt-4o-mini',
        litellm_params: { model: 'openai/gpt-4o-mini', api_base: mockUrl, api_key: UPSTREAM_KEY, timeout: 2 },
      },
      {
        model_name: 'text-embedding-3-small',
        litellm_params: { model: 'openai/text-embedding-3-small', api_base: mockUrl, api_key: UPSTREAM_KEY },
      },
      { model_name: 'mock-model', litellm_params: { model: 'mock/mock-model' } },
    ],
    general_settings: { service_account_settings: { enforced_params: ['user'] } },
  };
}

export const chat = (extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello there' }],
  ...extra,
});

/** Reads an SSE response into its data payloads (strings, `[DONE]` included). */
export async function sseEvents(res: Response): Promise<string[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data:'))
    .map((e) => e.slice(5).trim());
}
