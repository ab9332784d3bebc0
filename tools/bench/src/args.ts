import { parseArgs } from 'node:util';

export const ALL_TARGETS = ['direct', 'node-floor', 'portkey', 'warden', 'warden-w2'] as const;
export type TargetName = (typeof ALL_TARGETS)[number];

export interface BenchOptions {
  quick: boolean;
  /** Seconds per target per measurement (split across interleaved rounds). */
  durationS: number;
  rounds: number;
  soakMinutes: number;
  targets: TargetName[];
  out: string;
  connections: number[];
  rates: number[];
  streamRate: number;
  soakRate: number;
  pin: boolean;
  /** Write a V8 CPU profile of the Warden gateway (node --cpu-prof) into this directory. */
  cpuProf: string | null;
  /** Compare with this file instead of the previous `out`. */
  compare: string | null;
}

const USAGE = `pnpm bench [--quick] [--duration S] [--rounds N] [--soak-minutes M] [--targets direct,node-floor,portkey,warden,warden-w2]
            [--connections 16,64,256] [--rates 500,1000] [--out FILE] [--no-pin] [--cpu-prof DIR]`;

const list = (s: string): number[] => s.split(',').map((x) => Number(x.trim()));

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      'soak-minutes': { type: 'string' },
      targets: { type: 'string' },
      out: { type: 'string' },
      connections: { type: 'string' },
      rates: { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      compare: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const targets = (values.targets ?? ALL_TARGETS.join(',')).split(',').map((s) => s.trim()) as TargetName[];
  for (const t of targets) {
    if (!ALL_TARGETS.includes(t))
      throw new Error(`unknown target "${t}" (known: ${ALL_TARGETS.join(', ')})\n${USAGE}`);
  }
  // The direct path is the baseline of every ratio: always measured.
  if (!targets.includes('direct')) targets.unshift('direct');
  const opts: BenchOptions = {
    quick,
    durationS: Number(values.duration ?? (quick ? 1 : 12)),
    rounds: Number(values.rounds ?? (quick ? 1 : 3)),
    soakMinutes: Number(values['soak-minutes'] ?? (quick ? 0.05 : 1)),
    targets,
    out: values.out ?? 'results/latest.json',
    connections: list(values.connections ?? (quick ? '32' : '16,64,256')),
    rates: list(values.rates ?? (quick ? '500' : '500,1000')),
    streamRate: quick ? 100 : 200,
    soakRate: 500,
    pin: !(values['no-pin'] ?? false),
    cpuProf: values['cpu-prof'] ?? null,
    compare: values.compare ?? null,
  };
  for (const [k, v] of Object.entries({
    duration: opts.durationS,
    rounds: opts.rounds,
    soak: opts.soakMinutes,
  })) {
    if (!(v >= 0) || (k !== 'soak' && v <= 0)) throw new Error(`--${k} must be a positive number\n${USAGE}`);
  }
  return opts;
}
