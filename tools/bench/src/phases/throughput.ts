import { type ClosedLoopResult, closedLoop } from '../closed-loop.ts';
import type { Target } from '../targets/types.ts';
import { pause, rotation } from './interleave.ts';

export interface ThroughputResult {
  /** Per connection count: mean rps over the rounds, each round's value, and the last round's detail. */
  byConnections: {
    connections: number;
    rps: number;
    rounds: number[];
    errors: number;
    latencyUs: ClosedLoopResult['latencyUs'];
  }[];
  /** Best of the connection counts. */
  maxRps: number;
}

/** Closed loop at each connection count, targets interleaved round by round. */
export async function measureThroughput(
  targets: Target[],
  connections: number[],
  rounds: number,
  roundS: number,
  log: (s: string) => void,
): Promise<Map<string, ThroughputResult>> {
  const raw = new Map<string, Map<number, ClosedLoopResult[]>>();
  for (const t of targets) raw.set(t.name, new Map(connections.map((c) => [c, []])));
  for (const c of connections) {
    for (let r = 0; r < rounds; r++) {
      for (const t of rotation(targets, r)) {
        const res = await closedLoop(t.spec('plain'), c, roundS * 1000, Math.min(1000, roundS * 250));
        raw.get(t.name)?.get(c)?.push(res);
        log(
          `  throughput ${t.name.padEnd(10)} c=${String(c).padStart(3)} round ${r + 1}: ${res.rps} rps${res.errors ? ` (${res.errors} errors ${JSON.stringify(res.errorKinds)})` : ''}`,
        );
        await pause(200);
      }
    }
  }
  const out = new Map<string, ThroughputResult>();
  for (const [name, byC] of raw) {
    const byConnections = [...byC].map(([c, results]) => ({
      connections: c,
      rps: Math.round(results.reduce((s, x) => s + x.rps, 0) / results.length),
      rounds: results.map((x) => x.rps),
      errors: results.reduce((s, x) => s + x.errors, 0),
      latencyUs: (results.at(-1) as ClosedLoopResult).latencyUs,
    }));
    out.set(name, { byConnections, maxRps: Math.max(...byConnections.map((x) => x.rps)) });
  }
  return out;
}
