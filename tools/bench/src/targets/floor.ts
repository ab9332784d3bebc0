import { join } from 'node:path';
import { type MockModelKind, requestBody } from '../chain/models.ts';
import { freePort, startProcess, stopProcess, waitForHttp } from '../processes.ts';
import { JSON_HEADERS, type Target, type TargetContext } from './types.ts';

/** A bare Node proxy (src/floor-server.ts) on the gateway core: what Node alone costs here. */
export async function floorTarget(ctx: TargetContext, benchDir: string): Promise<Target> {
  const port = await freePort();
  const proc = startProcess({
    name: 'node-floor',
    cmd: process.execPath,
    args: [
      '--import',
      'tsx',
      join(benchDir, 'src/floor-server.ts'),
      '--port',
      String(port),
      '--upstream',
      `http://127.0.0.1:${ctx.mockPort}`,
      '--api-key',
      ctx.mockApiKey,
    ],
    cwd: benchDir,
    core: ctx.gatewayCore,
    env: { NODE_ENV: 'production' },
    logFile: join(ctx.runDir, 'node-floor.log'),
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(proc, `${origin}/`, 20_000, null);
  return {
    name: 'node-floor',
    process: proc,
    workers: 1,
    spec: (kind: MockModelKind) => ({
      origin,
      path: '/v1/chat/completions',
      headers: { ...JSON_HEADERS },
      body: requestBody(kind),
    }),
    info: { what: 'node:http + undici Pool, no gateway logic', port },
    stop: () => stopProcess(proc),
  };
}
