import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopAll } from '@warden/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, startWarden, writeConfig } from './support/warden.ts';

afterAll(() => stopAll());

/** `pnpm pack` a workspace package and unpack it into `<dir>/node_modules/<name>`, as an install would. */
function packInto(pkgDir: string, name: string, dir: string): void {
  const out = mkdtempSync(join(tmpdir(), 'pack-'));
  execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: join(REPO, pkgDir), stdio: 'pipe' });
  const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
  const target = join(dir, 'node_modules', name);
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(out, tarball), '-C', target, '--strip-components=1']);
}

describe('a plugin packed with pnpm pack and installed outside the workspace', () => {
  it('loads by name from the config folder and runs its hooks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outside-'));
    packInto('packages/core', '@warden/core', dir);
    packInto('packages/plugin-example', 'warden-plugin-example', dir);
    const configPath = writeConfig(
      {
        model_list: [{ model_name: 'm', litellm_params: { model: 'mock/m' } }],
        plugins: [
          { package: 'warden-plugin-example', options: { blockWord: 'forbidden', redact: ['mock'] } },
        ],
      },
      dir,
    );
    const w = await startWarden({ configPath });
    const refused = await w.call('/v1/chat/completions', {
      model: 'm',
      messages: [{ role: 'user', content: 'forbidden' }],
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({
      param: 'messages',
      code: '400',
      type: 'bad_request_error',
    });
    const ok = await w.call('/v1/chat/completions', {
      model: 'm',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).choices[0].message.content).toContain('[redacted]');
  });
});
