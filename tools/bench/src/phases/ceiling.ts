import { join } from 'node:path';
import { closedLoop } from '../closed-loop.ts';
import { freePort, startProcess, stopProcess, waitForHttp } from '../processes.ts';

/**
 * The load generator's own ceiling on its core: closed loop against a raw-TCP responder pinned
 * where the gateways run. It must sit well above the direct path's throughput, or every
 * throughput number below measures the generator rather than the target.
 */
export async function generatorCeiling(
  runDir: string,
  gatewayCore: number | null,
  connections: number,
  seconds: number,
): Promise<{ rps: number; generatorCpuUsPerRequest: number }> {
  const port = await freePort();
  const proc = startProcess({
    name: 'sink',
    cmd: process.execPath,
    args: ['--import', 'tsx', join(import.meta.dirname, '..', 'sink-server.ts'), String(port)],
    core: gatewayCore,
    logFile: join(runDir, 'sink.log'),
  });
  try {
    await waitForHttp(proc, `http://127.0.0.1:${port}/`, 20_000, null);
    const spec = {
      origin: `http://127.0.0.1:${port}`,
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"model":"x"}'),
    };
    const res = await closedLoop(spec, connections, seconds * 1000, 500);
    return { rps: res.rps, generatorCpuUsPerRequest: res.generatorCpuUsPerRequest };
  } finally {
    await stopProcess(proc);
  }
}
