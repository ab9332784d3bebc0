import type { OpenLoopResult } from './open-loop.ts';
import type { SoakResult } from './phases/soak.ts';
import type { ThroughputResult } from './phases/throughput.ts';

export interface MemoryResult {
  workers: number;
  peakTotalMb: number;
  peakPerProcessMb: number;
  afterMb: number;
  afterPerProcessMb: number[];
}

export interface GatewaySummary {
  maxRps: number;
  vsDirect: number;
  vsPortkey: number | null;
  /** Added latency (gateway − direct) per rate, milliseconds. */
  added: Record<string, { p50Ms: number; p99Ms: number }>;
  addedTtfbP50Ms: number;
  perChunkUs: number;
  peakPerProcessMb: number | null;
  soakSlopeMbPerMin: number | null;
}

export interface Check {
  target: string;
  name: string;
  value: number | null;
  limit: string;
  pass: boolean | null;
  note?: string;
}

/** Everything a run produced; written as JSON and compared with the previous run. */
export interface BenchResults {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: Record<string, unknown>;
  options: Record<string, unknown>;
  pinning: { enabled: boolean; reason: string; processes: { name: string; pid: number; affinity: string }[] };
  chain: unknown;
  generatorCeilingRps: number | null;
  /** CPU µs the generator spends per request (its capacity on a core is 1e6 / this). */
  generatorCpuUsPerRequest?: number;
  targets: Record<string, { workers: number; info: Record<string, unknown> } | { skipped: string }>;
  throughput: Record<string, ThroughputResult>;
  latency: Record<string, Record<string, OpenLoopResult>>;
  streaming: Record<string, Record<string, OpenLoopResult>>;
  memory: Record<string, MemoryResult>;
  soak: Record<string, SoakResult>;
  summary: Record<string, GatewaySummary>;
  checks: Check[];
}

const r2 = (x: number): number => Math.round(x * 100) / 100;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Ratios and added latencies of each gateway against the direct path (and Portkey). */
export function summarize(res: BenchResults): Record<string, GatewaySummary> {
  const out: Record<string, GatewaySummary> = {};
  const direct = res.throughput.direct;
  const portkey = res.throughput.portkey;
  for (const name of Object.keys(res.throughput)) {
    if (name === 'direct') continue;
    const tp = res.throughput[name] as ThroughputResult;
    const added: GatewaySummary['added'] = {};
    for (const [rate, byTarget] of Object.entries(res.latency)) {
      const g = byTarget[name];
      const d = byTarget.direct;
      if (g && d)
        added[rate] = {
          p50Ms: r3((g.latencyUs.p50 - d.latencyUs.p50) / 1000),
          p99Ms: r3((g.latencyUs.p99 - d.latencyUs.p99) / 1000),
        };
    }
    const s50 = res.streaming.stream;
    const s1 = res.streaming.streamShort;
    const addedTotal = (m: Record<string, OpenLoopResult> | undefined): number =>
      m?.[name] && m.direct ? m[name].latencyUs.p50 - m.direct.latencyUs.p50 : Number.NaN;
    // (extra time at 50 chunks − extra time at 1 chunk) / 49: the per-request part cancels out.
    const perChunkUs = (addedTotal(s50) - addedTotal(s1)) / 49;
    const addedTtfb =
      s50?.[name] && s50.direct ? (s50[name].ttfbUs.p50 - s50.direct.ttfbUs.p50) / 1000 : Number.NaN;
    out[name] = {
      maxRps: tp.maxRps,
      vsDirect: direct ? r3(tp.maxRps / direct.maxRps) : Number.NaN,
      vsPortkey: portkey && name !== 'portkey' ? r2(tp.maxRps / portkey.maxRps) : null,
      added,
      addedTtfbP50Ms: r3(addedTtfb),
      perChunkUs: r2(perChunkUs),
      peakPerProcessMb: res.memory[name]?.peakPerProcessMb ?? null,
      soakSlopeMbPerMin: res.soak[name]?.slopeMbPerMin ?? null,
    };
  }
  return out;
}

/** The issue's targets (2-core machine, full chain on), applied to every Warden target. */
export function checkTargets(res: BenchResults): Check[] {
  const checks: Check[] = [];
  const push = (
    target: string,
    name: string,
    value: number | null | undefined,
    limit: string,
    ok: (v: number) => boolean,
    note?: string,
  ) => {
    const v = value === undefined || value === null || Number.isNaN(value) ? null : value;
    checks.push({
      target,
      name,
      value: v,
      limit,
      pass: v === null ? null : ok(v),
      ...(note ? { note } : {}),
    });
  };
  for (const [name, s] of Object.entries(res.summary)) {
    if (!name.startsWith('warden')) continue;
    push(name, 'throughput vs Portkey', s.vsPortkey, '≥ 10×', (v) => v >= 10);
    push(name, 'throughput vs direct', s.vsDirect, '≥ 0.35', (v) => v >= 0.35);
    push(name, 'added p50 @1000/s (ms)', s.added['1000']?.p50Ms, '≤ 0.3', (v) => v <= 0.3);
    push(name, 'added p99 @1000/s (ms)', s.added['1000']?.p99Ms, '≤ 1.5', (v) => v <= 1.5);
    push(name, 'stream cost per chunk (µs)', s.perChunkUs, '≤ 15', (v) => v <= 15);
    push(name, 'stream added TTFB p50 (ms)', s.addedTtfbP50Ms, '≤ 0.5', (v) => v <= 0.5);
    push(name, 'peak RSS per worker (MB)', s.peakPerProcessMb, '≤ 150', (v) => v <= 150);
    const soakMin = res.soak[name]?.minutes ?? 0;
    push(
      name,
      'RSS growth after warm-up (MB/min)',
      s.soakSlopeMbPerMin,
      '< 1',
      (v) => v < 1,
      soakMin < 10 ? `soak was ${soakMin} min; the target is defined over 10 (--soak-minutes 10)` : undefined,
    );
  }
  return checks;
}

const fmt = (x: number | null | undefined, d = 2): string =>
  x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d);
const ms = (us: number | undefined): string => (us === undefined ? '—' : (us / 1000).toFixed(3));

/** The human-readable part: one table, ratio lines, target checks. */
export function renderReport(res: BenchResults): string {
  const lines: string[] = [];
  const names = Object.keys(res.throughput);
  const rates = Object.keys(res.latency);
  const head = [
    'target',
    'max rps',
    ...rates.flatMap((r) => [`p50@${r}`, `p99@${r}`]),
    'ttfb p50 s50',
    'total p50 s50',
    'total p50 s1',
    'peak MB/proc',
    'after MB',
  ];
  const rows = names.map((n) => [
    n,
    String(res.throughput[n]?.maxRps ?? '—'),
    ...rates.flatMap((r) => [ms(res.latency[r]?.[n]?.latencyUs.p50), ms(res.latency[r]?.[n]?.latencyUs.p99)]),
    ms(res.streaming.stream?.[n]?.ttfbUs.p50),
    ms(res.streaming.stream?.[n]?.latencyUs.p50),
    ms(res.streaming.streamShort?.[n]?.latencyUs.p50),
    fmt(res.memory[n]?.peakPerProcessMb, 1),
    fmt(res.memory[n]?.afterMb, 1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  lines.push('latencies in ms, from the intended send time; s50/s1 = 50-chunk / 1-chunk streams');
  lines.push(line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
  lines.push('');
  for (const [name, s] of Object.entries(res.summary)) {
    const parts = [`${name}: ${s.maxRps} rps = ${fmt(s.vsDirect, 3)}× direct`];
    if (s.vsPortkey !== null) parts.push(`${fmt(s.vsPortkey)}× Portkey`);
    for (const [rate, a] of Object.entries(s.added))
      parts.push(`added @${rate}/s p50 ${fmt(a.p50Ms, 3)} ms p99 ${fmt(a.p99Ms, 3)} ms`);
    parts.push(`stream: added TTFB p50 ${fmt(s.addedTtfbP50Ms, 3)} ms, ${fmt(s.perChunkUs)} µs/chunk`);
    if (s.soakSlopeMbPerMin !== null) parts.push(`RSS growth ${fmt(s.soakSlopeMbPerMin, 3)} MB/min`);
    lines.push(parts.join(' | '));
  }
  const floor = res.summary['node-floor'];
  if (floor) {
    // What Warden itself costs on top of what any Node proxy costs on this machine.
    for (const [name, s] of Object.entries(res.summary)) {
      if (!name.startsWith('warden')) continue;
      const parts = [
        `${name} − node-floor: ${fmt(s.maxRps / floor.maxRps, 3)}× the floor's throughput`,
        `own CPU ≈ ${fmt(1e6 / s.maxRps - 1e6 / floor.maxRps, 0)} µs/request (floor ${fmt(1e6 / floor.maxRps, 0)} µs)`,
      ];
      for (const [rate, a] of Object.entries(s.added)) {
        const f = floor.added[rate];
        if (f)
          parts.push(`@${rate}/s p50 +${fmt(a.p50Ms - f.p50Ms, 3)} ms p99 +${fmt(a.p99Ms - f.p99Ms, 3)} ms`);
      }
      lines.push(parts.join(' | '));
    }
  }
  if (res.generatorCeilingRps !== null) {
    const d = res.throughput.direct?.maxRps ?? 0;
    lines.push(
      `generator ceiling: ${res.generatorCeilingRps} rps against a raw-TCP sink (${fmt(res.generatorCeilingRps / Math.max(1, d))}× the direct path)`,
    );
  }
  lines.push('');
  for (const c of res.checks) {
    const mark = c.pass === null ? 'n/a ' : c.pass ? 'PASS' : 'FAIL';
    lines.push(
      `${mark} ${c.target.padEnd(10)} ${c.name.padEnd(34)} ${fmt(c.value, 3).padStart(9)}  (${c.limit})${c.note ? `  ${c.note}` : ''}`,
    );
  }
  return lines.join('\n');
}

/** Deltas of the headline numbers against a previous run's JSON. */
export function renderComparison(prev: BenchResults, cur: BenchResults): string {
  const lines = [
    `compared with the previous run (${prev.startedAt}, chain ${hashOf(prev)} → ${hashOf(cur)}):`,
  ];
  for (const [name, s] of Object.entries(cur.summary)) {
    const p = prev.summary?.[name];
    if (!p) continue;
    const row = (label: string, a: number | null | undefined, b: number | null | undefined, d = 3) => {
      if (
        a === null ||
        a === undefined ||
        b === null ||
        b === undefined ||
        Number.isNaN(a) ||
        Number.isNaN(b)
      )
        return;
      const pct = a === 0 ? '' : ` (${b >= a ? '+' : ''}${(((b - a) / Math.abs(a)) * 100).toFixed(1)}%)`;
      lines.push(`  ${name.padEnd(10)} ${label.padEnd(24)} ${a.toFixed(d)} → ${b.toFixed(d)}${pct}`);
    };
    row('max rps', p.maxRps, s.maxRps, 0);
    row('× direct', p.vsDirect, s.vsDirect);
    row('× Portkey', p.vsPortkey, s.vsPortkey, 2);
    for (const rate of Object.keys(s.added)) {
      row(`added p50 @${rate} ms`, p.added?.[rate]?.p50Ms, s.added[rate]?.p50Ms);
      row(`added p99 @${rate} ms`, p.added?.[rate]?.p99Ms, s.added[rate]?.p99Ms);
    }
    row('added TTFB p50 ms', p.addedTtfbP50Ms, s.addedTtfbP50Ms);
    row('µs per chunk', p.perChunkUs, s.perChunkUs, 2);
    row('peak MB per process', p.peakPerProcessMb, s.peakPerProcessMb, 1);
  }
  return lines.join('\n');
}

function hashOf(r: BenchResults): string {
  return (r.chain as { hash?: string } | null)?.hash ?? '?';
}
