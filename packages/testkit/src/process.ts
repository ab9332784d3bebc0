import { type ChildProcess, spawn } from 'node:child_process';

/** How a child process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options for {@link startProcess}. */
export interface StartProcessOptions {
  cmd: string;
  args?: string[];
  /** Added to (and overriding) `process.env`. A value of `undefined` removes the variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Ready once a GET to this URL answers 2xx. */
  readyUrl?: string;
  /** Ready once stdout+stderr matches this pattern. */
  readyPattern?: RegExp;
  /** How long to wait for readiness before killing the child and failing (default 30000). */
  timeoutMs?: number;
}

/** A child process started by {@link startProcess}. */
export interface StartedProcess {
  pid: number;
  /** Everything written to stdout and stderr so far, interleaved (last 2 MB). */
  output(): string;
  /** Send a signal to the child's whole process group (default SIGTERM); resolves when it exited. */
  kill(signal?: NodeJS.Signals): Promise<ExitInfo>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs` (default 5000). */
  stop(graceMs?: number): Promise<ExitInfo>;
  /** Resolve when the output matches `pattern` (rejects after `timeoutMs`, default 10000, or on exit). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when the child exits. */
  exited: Promise<ExitInfo>;
  /** True once the child exited. */
  readonly hasExited: boolean;
}

const MAX_OUTPUT = 2 * 1024 * 1024;
const live = new Set<{ child: ChildProcess; stop: (graceMs?: number) => Promise<ExitInfo> }>();

// Safety net: a test runner that exits without afterAll(stopAll) must not leave servers behind.
process.once('exit', () => {
  for (const { child } of live) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Negative pid = the process group: `pnpm`/`tsx` wrappers spawn the real server as a grandchild.
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Start a child process for black-box tests, in its own process group, collecting stdout+stderr,
 * and resolve once it is ready (`readyUrl` answers 2xx and/or `readyPattern` matched). If it exits or
 * times out first, it is killed and the promise rejects with its output. Call `stopAll()` in
 * `afterAll` so no child outlives the test file.
 *
 * @example
 * afterAll(stopAll);
 * const gw = await startProcess({
 *   cmd: 'pnpm', args: ['warden', 'start', '--config', cfg, '--port', String(port)],
 *   env: { WARDEN_MASTER_KEY: 'sk-master' }, readyUrl: `http://127.0.0.1:${port}/health/liveliness`,
 * });
 * await gw.stop(); // SIGTERM, graceful shutdown
 */
export async function startProcess(opts: StartProcessOptions): Promise<StartedProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(opts.cmd, opts.args ?? [], {
    cwd: opts.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });

  let out = '';
  let exitInfo: ExitInfo | null = null;
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > MAX_OUTPUT) out = out.slice(out.length - MAX_OUTPUT);
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      live.delete(entry);
      for (const l of listeners) l();
      resolve(exitInfo);
    });
    child.once('error', (err) => {
      out += `\n[startProcess] spawn error: ${err.message}\n`;
      exitInfo = { code: null, signal: null };
      live.delete(entry);
      for (const l of listeners) l();
      resolve(exitInfo);
    });
  });

  const kill = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!exitInfo) killGroup(child, signal);
    return exited;
  };
  const stop = async (graceMs = 5000) => {
    if (exitInfo) return exitInfo;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    const info = await exited;
    clearTimeout(timer);
    return info;
  };
  const entry = { child, stop };
  live.add(entry);

  const waitForOutput = (pattern: RegExp, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(out)) done();
        else if (exitInfo)
          done(new Error(`process exited (${describeExit(exitInfo)}) before output matched ${pattern}`));
      };
      const timer = setTimeout(
        () => done(new Error(`output did not match ${pattern} within ${timeoutMs}ms`)),
        timeoutMs,
      );
      const done = (err?: Error) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (err) reject(new Error(`${err.message}\n--- output ---\n${out}`));
        else resolve();
      };
      listeners.add(check);
      check();
    });

  const proc: StartedProcess = {
    pid: child.pid ?? -1,
    output: () => out,
    kill,
    stop,
    waitForOutput,
    exited,
    get hasExited() {
      return exitInfo !== null;
    },
  };

  const timeoutMs = opts.timeoutMs ?? 30_000;
  try {
    const checks: Promise<void>[] = [];
    if (opts.readyPattern) checks.push(waitForOutput(opts.readyPattern, timeoutMs));
    if (opts.readyUrl)
      checks.push(
        waitForUrl(
          opts.readyUrl,
          timeoutMs,
          () => exitInfo,
          () => out,
        ),
      );
    await Promise.all(checks);
  } catch (err) {
    await stop(2000);
    throw err;
  }
  return proc;
}

function describeExit(info: ExitInfo): string {
  return info.signal ? `signal ${info.signal}` : `code ${info.code}`;
}

async function waitForUrl(
  url: string,
  timeoutMs: number,
  exitInfo: () => ExitInfo | null,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const info = exitInfo();
    if (info)
      throw new Error(
        `process exited (${describeExit(info)}) before ${url} was ready\n--- output ---\n${output()}`,
      );
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() >= deadline) {
      throw new Error(`${url} not ready within ${timeoutMs}ms (last: ${last})\n--- output ---\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Stop every process started by {@link startProcess} that is still running (SIGTERM, then SIGKILL
 * after `graceMs`). Use as `afterAll(stopAll)` in every file that starts processes.
 */
export async function stopAll(graceMs = 5000): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(graceMs)));
}
