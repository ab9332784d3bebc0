import { type OpenLoopRaw, type OpenLoopResult, openLoop, summarizeOpenLoop } from '../open-loop.ts';
import type { MockModelKind } from '../chain/models.ts';
import type { Target } from '../targets/types.ts';
import { pause, rotation } from './interleave.ts';

/**
 * Open loop at a fixed rate for each target, interleaved over rounds, histograms merged per target.
 * Used for added latency (plain requests) and for streaming (TTFB and whole-stream time).
 */
export async function measureOpenLoop(
  targets: Target[],
  kind: MockModelKind,
  rate: number,
  rounds: number,
  roundS: number,
  log: (s: string) => void,
): Promise<Map<string, OpenLoopResult>> {
  const raw = new Map<string, OpenLoopRaw[]>(targets.map((t) => [t.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const t of rotation(targets, r)) {
      // A short unmeasured lead-in at the same rate: connections open, JIT warm for this request kind.
      await openLoop(t.spec(kind), rate, 300);
      const res = await openLoop(t.spec(kind), rate, roundS * 1000);
      raw.get(t.name)?.push(res);
      const s = summarizeOpenLoop(rate, [res]);
      log(
        `  ${kind.padEnd(11)} ${t.name.padEnd(10)} ${rate}/s round ${r + 1}: p50 ${s.latencyUs.p50} µs p99 ${s.latencyUs.p99} µs ttfb p50 ${s.ttfbUs.p50} µs${s.errors ? ` errors ${JSON.stringify(s.errorKinds)}` : ''}`,
      );
      await pause(200);
    }
  }
  return new Map([...raw].map(([name, rs]) => [name, summarizeOpenLoop(rate, rs)]));
}
