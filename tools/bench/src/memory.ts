import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS of one process in bytes (0 when it is gone). */
export function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Direct and indirect children of `pid` (cluster workers of a `--workers N` gateway). */
export function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) comes after the parenthesised command name, which may itself contain spaces.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(rest[1]));
    } catch {
      // Raced with an exiting process.
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const cur = queue.shift() as number;
    for (const [child, parent] of parentOf) {
      if (parent === cur) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/** RSS of a process tree: each process separately (per-worker targets) and the sum. */
export interface TreeRss {
  totalBytes: number;
  perProcess: { pid: number; bytes: number }[];
}

export function treeRss(pid: number, children: number[]): TreeRss {
  const perProcess = [pid, ...children].map((p) => ({ pid: p, bytes: rssOf(p) })).filter((x) => x.bytes > 0);
  return { totalBytes: perProcess.reduce((s, x) => s + x.bytes, 0), perProcess };
}

/**
 * Samples a process tree's RSS on an interval and keeps the peak per process. The child list is
 * refreshed now and then, not on every tick: scanning /proc costs the generator's core.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private children: number[] = [];
  private ticks = 0;
  peakTotal = 0;
  peakPerProcess = 0;

  private readonly pid: number;
  private readonly intervalMs: number;

  constructor(pid: number, intervalMs = 250) {
    this.pid = pid;
    this.intervalMs = intervalMs;
  }

  start(): void {
    this.children = descendantsOf(this.pid);
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  sample(): TreeRss {
    if (++this.ticks % 20 === 0) this.children = descendantsOf(this.pid);
    const t = treeRss(this.pid, this.children);
    this.peakTotal = Math.max(this.peakTotal, t.totalBytes);
    for (const p of t.perProcess) this.peakPerProcess = Math.max(this.peakPerProcess, p.bytes);
    return t;
  }

  now(): TreeRss {
    return treeRss(this.pid, descendantsOf(this.pid));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
