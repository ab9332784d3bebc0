// `pnpm bench`: Warden against the direct path and Portkey's gateway, on this machine, in one run.
// See tools/bench/README.md for what each phase measures.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ALL_TARGETS, type BenchOptions, parseOptions } from './args.ts';
import { describeChain } from './chain/chain.ts';
import { RssSampler } from './memory.ts';
import type { OpenLoopResult } from './open-loop.ts';
import { generatorCeiling } from './phases/ceiling.ts';
import { pause } from './phases/interleave.ts';
import { measureOpenLoop } from './phases/latency.ts';
import { soak } from './phases/soak.ts';
import { measureThroughput } from './phases/throughput.ts';
import { affinityOf, pinSelf, planPinning } from './pinning.ts';
import { probeTarget } from './probe.ts';
import { freePort, startProcess, stopAll, stopProcess, waitForHttp } from './processes.ts';
import {
  type BenchResults,
  checkTargets,
  type MemoryResult,
  renderComparison,
  renderReport,
  summarize,
} from './report.ts';
import { directTarget } from './targets/direct.ts';
import { floorTarget } from './targets/floor.ts';
import { portkeyTarget } from './targets/portkey.ts';
import type { Target, TargetContext } from './targets/types.ts';
import { WARDEN_ENTRY, wardenTarget } from './targets/warden.ts';

const log = (s: string): void => {
  process.stdout.write(`${s}\n`);
};
const MB = 1024 * 1024;

async function run(opts: BenchOptions): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const benchDir = resolve(import.meta.dirname, '..');
  const repoRoot = resolve(benchDir, '../..');
  const runDir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  log(`run directory (process logs): ${runDir}`);

  const plan = planPinning(!opts.pin);
  pinSelf(plan.generatorCore);

  const mockApiKey = 'sk-bench-upstream';
  const mockPort = await freePort();
  const mock = startProcess({
    name: 'mock',
    cmd: process.execPath,
    args: [
      '--import',
      'tsx',
      join(benchDir, 'src/mock-server.ts'),
      '--port',
      String(mockPort),
      '--api-key',
      mockApiKey,
    ],
    cwd: benchDir,
    core: plan.mockCore,
    logFile: join(runDir, 'mock.log'),
  });
  await waitForHttp(mock, `http://127.0.0.1:${mockPort}/v1/models`, 30_000, null);

  const ctx: TargetContext = { repoRoot, runDir, mockPort, mockApiKey, gatewayCore: plan.gatewayCore };
  const chain = describeChain(process.env);
  const targets: Target[] = [];
  const targetInfo: BenchResults['targets'] = {};
  for (const name of opts.targets) {
    try {
      let t: Target;
      if (name === 'direct') t = directTarget(ctx);
      else if (name === 'portkey') t = await portkeyTarget(ctx);
      else if (name === 'node-floor') t = await floorTarget(ctx, benchDir);
      else {
        if (!existsSync(join(repoRoot, WARDEN_ENTRY))) throw new Error(`${WARDEN_ENTRY} does not exist yet`);
        const workers = name === 'warden-w2' ? 2 : 1;
        if (workers > 1 && !process.env.DATABASE_URL) {
          throw new Error('--workers 2 needs DATABASE_URL (the embedded database lives in one process)');
        }
        t = await wardenTarget(ctx, { name, workers, chain, cpuProfDir: opts.cpuProf });
      }
      const { streamError } = await probeTarget(t);
      if (streamError) {
        // Measured for everything else; a gateway that fails streams is left out of that phase only.
        t.info.streamingFailed = streamError;
        if (name.startsWith('warden')) throw new Error(streamError);
      }
      targets.push(t);
      targetInfo[name] = { workers: t.workers, info: t.info };
      log(`target ${name}: ready ${JSON.stringify(t.info)}`);
    } catch (err) {
      if (name === 'direct') throw err;
      targetInfo[name] = { skipped: (err as Error).message.slice(0, 2000) };
      log(`target ${name}: SKIPPED (${(err as Error).message})`);
    }
  }

  const pinned = [
    { name: 'load generator (this process)', pid: process.pid },
    { name: 'mock upstream', pid: mock.pid },
    ...targets.filter((t) => t.process).map((t) => ({ name: t.name, pid: t.process?.pid as number })),
  ].map((p) => ({ ...p, affinity: affinityOf(p.pid) }));
  log(`pinning: ${plan.enabled ? 'on' : 'off'} (${plan.reason})`);
  for (const p of pinned) log(`  ${p.name.padEnd(30)} pid ${String(p.pid).padStart(7)}  cpus ${p.affinity}`);
  log(`full chain: hash ${chain.hash}, ${chain.database}, limiter ${chain.limiter}, ${chain.spendLogs}`);

  const samplers = new Map<string, RssSampler>();
  for (const t of targets) {
    if (!t.process) continue;
    const s = new RssSampler(t.process.pid);
    s.start();
    samplers.set(t.name, s);
  }

  const roundS = opts.durationS / opts.rounds;
  log(`\n[1/5] generator ceiling (closed loop against a raw-TCP sink on the gateway core)`);
  const ceiling = await generatorCeiling(
    runDir,
    plan.gatewayCore,
    Math.max(...opts.connections),
    Math.min(3, opts.durationS),
  );
  log(
    `  ${ceiling.rps} rps; the generator spends ${ceiling.generatorCpuUsPerRequest} µs of CPU per request (≈ ${Math.round(1e6 / ceiling.generatorCpuUsPerRequest)} rps per core)`,
  );

  log(`\n[2/5] maximum throughput (closed loop; ${opts.rounds} interleaved rounds of ${roundS} s)`);
  const throughput = await measureThroughput(targets, opts.connections, opts.rounds, roundS, log);

  log(`\n[3/5] added latency (open loop at fixed rates, timed from the intended send time)`);
  const latency: BenchResults['latency'] = {};
  for (const rate of opts.rates) {
    latency[String(rate)] = Object.fromEntries(
      await measureOpenLoop(targets, 'plain', rate, opts.rounds, roundS, log),
    );
  }

  log(`\n[4/5] streaming (open loop at ${opts.streamRate}/s; 50-chunk and 1-chunk streams)`);
  const streaming: Record<string, Record<string, OpenLoopResult>> = {};
  for (const kind of ['stream', 'streamShort'] as const) {
    const streamTargets = targets.filter((t) => !t.info.streamingFailed);
    streaming[kind] = Object.fromEntries(
      await measureOpenLoop(streamTargets, kind, opts.streamRate, opts.rounds, roundS, log),
    );
  }

  for (const s of samplers.values()) s.stop();
  log(`\n[5/5] memory: idle after load, then a ${opts.soakMinutes}-minute soak at ${opts.soakRate}/s`);
  await pause(opts.quick ? 1000 : 5000);
  const memory: Record<string, MemoryResult> = {};
  for (const t of targets) {
    const s = samplers.get(t.name);
    if (!s) continue;
    const after = s.now();
    memory[t.name] = {
      workers: t.workers,
      peakTotalMb: round1(s.peakTotal / MB),
      peakPerProcessMb: round1(s.peakPerProcess / MB),
      afterMb: round1(after.totalBytes / MB),
      afterPerProcessMb: after.perProcess.map((p) => round1(p.bytes / MB)),
    };
    log(
      `  ${t.name.padEnd(10)} peak ${memory[t.name]?.peakPerProcessMb} MB/process under load, ${memory[t.name]?.afterMb} MB after (${after.perProcess.length} processes)`,
    );
  }
  const soakTargets = targets.filter((t) => t.name.startsWith('warden'));
  const soakResults =
    opts.soakMinutes > 0 && soakTargets.length > 0
      ? await soak(soakTargets, opts.soakMinutes, opts.soakRate, log)
      : new Map();

  for (const t of targets) await t.stop();
  await stopProcess(mock);
  if (!opts.cpuProf) rmSync(runDir, { recursive: true, force: true });

  const results: BenchResults = {
    schema: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '?',
      node: process.version,
      kernel: release(),
      git: gitHead(repoRoot),
    },
    options: { ...opts },
    pinning: { enabled: plan.enabled, reason: plan.reason, processes: pinned },
    chain,
    generatorCeilingRps: ceiling.rps,
    generatorCpuUsPerRequest: ceiling.generatorCpuUsPerRequest,
    targets: targetInfo,
    throughput: Object.fromEntries(throughput),
    latency,
    streaming,
    memory,
    soak: Object.fromEntries(soakResults),
    summary: {},
    checks: [],
  };
  results.summary = summarize(results);
  results.checks = checkTargets(results);
  return results;
}

function gitHead(root: string): string {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  log(`targets: ${opts.targets.join(', ')} (known: ${ALL_TARGETS.join(', ')})`);
  const results = await run(opts);
  log(`\n${renderReport(results)}`);
  const out = resolve(opts.out);
  const prevPath = opts.compare ? resolve(opts.compare) : out;
  if (existsSync(prevPath)) {
    try {
      const prev = JSON.parse(readFileSync(prevPath, 'utf8')) as BenchResults;
      log(`\n${renderComparison(prev, results)}`);
      if (prevPath === out) copyFileSync(out, join(dirname(out), 'previous.json'));
    } catch (err) {
      log(`(could not compare with ${prevPath}: ${(err as Error).message})`);
    }
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nresults written to ${out}`);
}

main()
  .catch(async (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopAll();
  });
