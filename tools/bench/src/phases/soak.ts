import { RssSampler } from '../memory.ts';
import { openLoop, summarizeOpenLoop, type OpenLoopResult } from '../open-loop.ts';
import type { Target } from '../targets/types.ts';

export interface SoakResult {
  minutes: number;
  rate: number;
  warmupMinutes: number;
  /** [minutes since start, total RSS of the process tree in MB]. */
  samples: [number, number][];
  startMb: number;
  endMb: number;
  /** Least-squares slope of RSS after warm-up (MB per minute). */
  slopeMbPerMin: number;
  peakPerProcessMb: number;
  latency: OpenLoopResult;
}

const MB = 1024 * 1024;

/**
 * Steady open-loop load on each gateway at once for `minutes`, sampling RSS every few seconds; the
 * first fifth is warm-up (heap growing to its working size) and the growth rate is fitted on the rest.
 */
export async function soak(
  targets: Target[],
  minutes: number,
  rate: number,
  log: (s: string) => void,
): Promise<Map<string, SoakResult>> {
  const durationMs = minutes * 60_000;
  const warmupMinutes = minutes / 5;
  const sampleMs = Math.max(250, Math.min(5000, durationMs / 60));
  const results = await Promise.all(
    targets.map(async (t) => {
      const pid = t.process?.pid as number;
      const sampler = new RssSampler(pid, 10_000_000);
      sampler.start();
      const samples: [number, number][] = [];
      const began = Date.now();
      const timer = setInterval(() => {
        samples.push([(Date.now() - began) / 60_000, sampler.sample().totalBytes / MB]);
      }, sampleMs);
      const raw = await openLoop(t.spec('plain'), rate, durationMs);
      clearInterval(timer);
      sampler.stop();
      const after = samples.filter(([m]) => m >= warmupMinutes);
      const result: SoakResult = {
        minutes,
        rate,
        warmupMinutes,
        samples: samples.map(([m, mb]) => [round(m, 3), round(mb, 2)]),
        startMb: round(after[0]?.[1] ?? Number.NaN, 2),
        endMb: round(after.at(-1)?.[1] ?? Number.NaN, 2),
        slopeMbPerMin: round(slope(after), 3),
        peakPerProcessMb: round(sampler.peakPerProcess / MB, 1),
        latency: summarizeOpenLoop(rate, [raw]),
      };
      log(
        `  soak ${t.name.padEnd(10)} ${minutes} min at ${rate}/s: ${result.startMb} → ${result.endMb} MB, ${result.slopeMbPerMin} MB/min`,
      );
      return [t.name, result] as const;
    }),
  );
  return new Map(results);
}

function slope(points: [number, number][]): number {
  if (points.length < 2) return Number.NaN;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

const round = (x: number, d: number): number => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);
