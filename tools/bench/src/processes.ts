import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A process the bench started; every one is killed (with its process group) on any exit path. */
export interface BenchProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** Core the process is pinned to (null when the machine has a single core). */
  core: number | null;
}

const live = new Set<BenchProcess>();
let hooked = false;

function killAll(signal: NodeJS.Signals): void {
  for (const p of live) {
    try {
      // Negative pid = the whole group: `--workers` gateways fork children we never see directly.
      process.kill(-p.pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => killAll('SIGKILL'));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      killAll('SIGKILL');
      process.exit(130);
    });
  }
}

/**
 * Start `cmd args` pinned to `core` with `taskset` (which execs, so the pid is the program's own) in
 * its own process group, output to `logFile`.
 */
export function startProcess(opts: {
  name: string;
  cmd: string;
  args: string[];
  core: number | null;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
}): BenchProcess {
  hookExit();
  const fd = openSync(opts.logFile, 'a');
  const [cmd, args] =
    opts.core === null
      ? [opts.cmd, opts.args]
      : ['taskset', ['-c', String(opts.core), opts.cmd, ...opts.args]];
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${opts.name}: failed to spawn ${opts.cmd}`);
  const p: BenchProcess = { name: opts.name, pid: child.pid, child, logFile: opts.logFile, core: opts.core };
  live.add(p);
  child.once('exit', () => live.delete(p));
  return p;
}

/** SIGTERM the group, SIGKILL after `graceMs`. */
export async function stopProcess(p: BenchProcess, graceMs = 3000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) {
    live.delete(p);
    return;
  }
  const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
  try {
    process.kill(-p.pid, 'SIGTERM');
  } catch {
    live.delete(p);
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
  // Children of a worker-mode gateway may outlive the parent for a moment.
  try {
    process.kill(-p.pid, 'SIGKILL');
  } catch {
    // gone
  }
  live.delete(p);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => stopProcess(p)));
}

/** Last lines of a process log, for error messages. */
export function logTail(p: BenchProcess, lines = 30): string {
  try {
    return readFileSync(p.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Poll `url` until it answers `expectStatus` (any status when null), or fail with the process log. */
export async function waitForHttp(
  p: BenchProcess,
  url: string,
  timeoutMs: number,
  expectStatus: number | null = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      throw new Error(
        `${p.name} exited (${p.child.exitCode ?? p.child.signalCode}) before it was ready:\n${logTail(p)}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (expectStatus === null || res.status === expectStatus) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${p.name} not ready at ${url} after ${timeoutMs} ms (${last}):\n${logTail(p)}`);
}
