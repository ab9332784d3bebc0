import { Histogram } from './histogram.ts';
import { createPool, now, type RequestSpec, send } from './request.ts';

export interface ClosedLoopResult {
  connections: number;
  /** Completed 2xx requests per second over the measured window. */
  rps: number;
  ok: number;
  errors: number;
  /** Status code (or error name) → count, for anything that was not 2xx. */
  errorKinds: Record<string, number>;
  latencyUs: ReturnType<Histogram['summary']>;
  /** CPU time this process (the generator) spent per completed request: its own capacity is 1e6 / this. */
  generatorCpuUsPerRequest: number;
}

/**
 * Maximum throughput: `connections` virtual clients each send the next request as soon as the
 * previous answer ends. The first `warmupMs` are run but not counted (JIT, connection set-up).
 */
export async function closedLoop(
  spec: RequestSpec,
  connections: number,
  durationMs: number,
  warmupMs: number,
): Promise<ClosedLoopResult> {
  const pool = createPool(spec.origin, connections);
  const hist = new Histogram();
  const errorKinds: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  const start = now();
  const measureFrom = start + warmupMs * 1e6;
  const stopAt = measureFrom + durationMs * 1e6;
  let running = connections;
  let cpuAtMeasure: NodeJS.CpuUsage | null = null;
  const cpuTimer = setTimeout(() => {
    cpuAtMeasure = process.cpuUsage();
  }, warmupMs);

  await new Promise<void>((resolve) => {
    const loop = (): void => {
      const sentAt = now();
      if (sentAt >= stopAt) {
        if (--running === 0) resolve();
        return;
      }
      send(pool, spec, (t) => {
        if (t.endNs >= measureFrom && t.endNs < stopAt) {
          if (t.error === null && t.status >= 200 && t.status < 300) {
            ok++;
            hist.record((t.endNs - sentAt) / 1e3);
          } else {
            errors++;
            const kind = t.error ? t.error.name : String(t.status);
            errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
          }
        }
        // A failing target must not turn into a tight error loop that starves everything else.
        if (t.error) setTimeout(loop, 10);
        else loop();
      });
    };
    for (let i = 0; i < connections; i++) loop();
  });
  clearTimeout(cpuTimer);
  const cpu = process.cpuUsage(cpuAtMeasure ?? undefined);
  await pool.destroy();
  return {
    generatorCpuUsPerRequest: Math.round(((cpu.user + cpu.system) / Math.max(1, ok + errors)) * 10) / 10,
    connections,
    rps: Math.round(ok / (durationMs / 1000)),
    ok,
    errors,
    errorKinds,
    latencyUs: hist.summary(),
  };
}
