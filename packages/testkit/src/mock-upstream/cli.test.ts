import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { startProcess, stopAll } from '../process.ts';
import { post, sseData } from './test-client.ts';

afterAll(() => stopAll());

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

describe('mock upstream CLI', () => {
  it('starts on the given port with the given key and chunk count', async () => {
    const port = await freePort();
    // `node --import tsx` is what `tsx cli.ts` does, without an extra wrapper process.
    const p = await startProcess({
      cmd: process.execPath,
      args: ['--import', 'tsx', cli, '--port', String(port), '--api-key', 'sk-up', '--chunks', '7'],
      readyPattern: /mock upstream listening on/,
    });
    expect(p.output()).toContain(`mock upstream listening on http://127.0.0.1:${port}/v1`);
    const url = `http://127.0.0.1:${port}/v1/chat/completions`;
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true };
    expect((await post(url, body, 'sk-wrong')).status).toBe(401);
    const frames = sseData(await (await post(url, body, 'sk-up')).text());
    expect(frames).toHaveLength(1 + 7 + 1 + 1);
    const info = await p.stop();
    expect(info.code).toBe(0);
    expect(p.output()).toMatch(/2 requests, 0 aborted/);
  });
});
