import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startMockUpstream, startProcess, stopAll } from '@warden/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO, runCli, startWarden, writeConfig } from './support/warden.ts';

afterAll(() => stopAll());

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

describe('warden CLI (real processes)', () => {
  it('quick start: generates and prints a master key, answers chat and streams from the mock model', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qs-'));
    const port = await freePort();
    const proc = await startProcess({
      cmd: process.execPath,
      args: ['--import', 'tsx', CLI, 'start', '--quickstart', '--port', String(port)],
      cwd: REPO,
      env: {
        WARDEN_MASTER_KEY: undefined,
        DATABASE_URL: undefined,
        REDIS_URL: undefined,
        WARDEN_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      readyPattern: /Master key/,
      timeoutMs: 60_000,
    });
    const key = readFileSync(join(dataDir, 'master-key'), 'utf8').trim();
    expect(key).toMatch(/^sk-[A-Za-z0-9_-]{32,}$/);
    expect(proc.output()).toContain(key);
    expect(proc.output()).toContain(`http://127.0.0.1:${port}/ui/`);
    const url = `http://127.0.0.1:${port}/v1/chat/completions`;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(chat) });
    expect(res.status).toBe(200);
    expect((await res.json()).choices[0].message.content).toContain('mock');
    const stream = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...chat, stream: true }),
    });
    expect((await stream.text()).trim().endsWith('data: [DONE]')).toBe(true);
    expect((await proc.stop()).code).toBe(0);
  });

  it('never starts without a master key', async () => {
    const { code, output } = await runCli(['start', '--config', writeConfig({ model_list: [] })], {
      WARDEN_MASTER_KEY: undefined,
      WARDEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'nk-')),
    });
    expect(code).toBe(1);
    expect(output).toContain('no master key');
  });

  it('refuses --workers 2 on the embedded database with a clear message', async () => {
    const { code, output } = await runCli(
      ['start', '--config', writeConfig({ model_list: [] }), '--workers', '2'],
      {
        WARDEN_MASTER_KEY: 'sk-x',
        WARDEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'wk-')),
      },
    );
    expect(code).toBe(1);
    expect(output).toContain('--workers 2 needs DATABASE_URL');
  });

  it('config check reports every problem with its path', async () => {
    const bad = writeConfig({
      model_list: [
        { model_name: 'a', litellm_params: { model: 'nonsense' } },
        { model_name: 'b', litellm_params: { model: 'openai/x', api_key: 'os.environ/WARDEN_E2E_UNSET' } },
      ],
    });
    const out = await runCli(['config', 'check', bad]);
    expect(out.code).toBe(1);
    expect(out.output).toContain(
      'model_list[1].litellm_params.api_key: environment variable WARDEN_E2E_UNSET is not set',
    );
    const good = await runCli(['config', 'check', join(REPO, 'apps/gateway/quickstart.yaml')]);
    expect(good.code).toBe(0);
    expect(good.output).toContain('OK (3 deployments');
  });

  it('SIGTERM lets an in-flight stream finish, then exits 0', async () => {
    const mock = await startMockUpstream({ chunks: 20, chunkDelayMs: 50 });
    try {
      const w = await startWarden({
        config: {
          model_list: [
            {
              model_name: 'slow',
              litellm_params: { model: 'openai/slow', api_base: mock.url, api_key: 'x' },
            },
          ],
        },
      });
      const res = await w.call('/v1/chat/completions', {
        model: 'slow',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      });
      expect(res.status).toBe(200);
      await mock.waitForRequests(1);
      const exited = w.proc.kill('SIGTERM');
      const text = await res.text();
      expect(text.trim().endsWith('data: [DONE]')).toBe(true);
      expect(
        text.split('\n\n').filter((f) => f.includes('chat.completion.chunk')).length,
      ).toBeGreaterThanOrEqual(20);
      expect((await exited).code).toBe(0);
    } finally {
      await mock.close();
    }
  });
});
