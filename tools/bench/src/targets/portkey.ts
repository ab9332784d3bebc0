import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type MockModelKind, requestBody } from '../chain/models.ts';
import { freePort, startProcess, stopProcess, waitForHttp } from '../processes.ts';
import { JSON_HEADERS, type Target, type TargetContext } from './types.ts';

const require = createRequire(import.meta.url);

/** Portkey's open-source gateway from npm (the version pinned in package.json), routed to the mock. */
export async function portkeyTarget(ctx: TargetContext): Promise<Target> {
  const pkgJson = require.resolve('@portkey-ai/gateway/package.json');
  const pkgDir = dirname(pkgJson);
  const version = (require(pkgJson) as { version: string }).version;
  const port = await freePort();
  const proc = startProcess({
    name: 'portkey',
    cmd: process.execPath,
    args: [join(pkgDir, 'build/start-server.js'), `--port=${port}`, '--headless'],
    core: ctx.gatewayCore,
    env: { NODE_ENV: 'production' },
    logFile: join(ctx.runDir, 'portkey.log'),
  });
  // Portkey has no health route in headless mode; any HTTP answer means it listens.
  await waitForHttp(proc, `http://127.0.0.1:${port}/`, 20_000, null);
  const origin = `http://127.0.0.1:${port}`;
  const headers = {
    ...JSON_HEADERS,
    authorization: `Bearer ${ctx.mockApiKey}`,
    'x-portkey-provider': 'openai',
    'x-portkey-custom-host': `http://127.0.0.1:${ctx.mockPort}/v1`,
  };
  return {
    name: 'portkey',
    process: proc,
    workers: 1,
    spec: (kind: MockModelKind) => ({
      origin,
      path: '/v1/chat/completions',
      headers,
      body: requestBody(kind),
    }),
    info: { package: '@portkey-ai/gateway', version, port },
    stop: () => stopProcess(proc),
  };
}
