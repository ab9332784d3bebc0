/**
 * Cost of one admit + settle, memory vs Redis, for a typical request: key + team + deployment
 * scopes with rpm, tpm, parallel and budget limits (3 scopes in one Lua call).
 *
 *   npx tsx packages/ratelimit/bench/limiter-bench.ts            # memory, and Redis at REDIS_URL
 *   BENCH_SECONDS=5 REDIS_URL=redis://127.0.0.1:6379 npx tsx packages/ratelimit/bench/limiter-bench.ts
 *
 * - "sequential": one request at a time, the latency one request adds (admit is on the request
 *   path, settle off it).
 * - "64 loops": 64 admit → settle loops for BENCH_SECONDS. Every loop wakes up on the same Redis
 *   reply, so the limiter can coalesce their calls (the best case for batching).
 * - "64 loops, 1/turn": the same, but every call is made from its own event-loop turn (as in the
 *   gateway, where each request is woken by its own socket), so every batch holds one call.
 *
 * CPU is this process's user + system time (process.cpuUsage) and, for Redis, the server's
 * used_cpu_user + used_cpu_sys (INFO cpu; Redis shares the machine with the gateway, and counts
 * every client's work: run on a quiet Redis). Script calls per op is 2 without coalescing.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { type LimitCheck, MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from '../src/index.ts';

const logger = { warn: console.warn, error: console.error };
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 5_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 64;

function checks(run: string, i: number): LimitCheck[] {
  // 100 distinct keys so the window sets stay realistic (not one huge sorted set).
  const k = i % 100;
  return [
    {
      id: `key:${run}:${k}`,
      rpm: 1_000_000,
      tpm: 1_000_000_000,
      maxParallel: 1000,
      budget: { maxMicros: 1e12, periodId: '1', baseSpentMicros: 0 },
    },
    {
      id: `team:${run}`,
      rpm: 10_000_000,
      tpm: null,
      maxParallel: null,
      budget: { maxMicros: 1e13, periodId: '1', baseSpentMicros: 0 },
    },
    { id: `deployment:${run}`, rpm: 10_000_000, tpm: 10_000_000_000, maxParallel: null, budget: null },
  ];
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

async function once(l: RateLimiter, run: string, i: number, ownTurn: boolean): Promise<void> {
  if (ownTurn) await nextTurn();
  const a = await l.admit(checks(run, i), { tokens: 500, worstCostMicros: 2000 });
  if (!a.ok) throw new Error(`refused: ${a.reason}`);
  if (ownTurn) await nextTurn();
  await l.settle(a.ticket, { tokens: 420, costMicros: 1500 });
}

/** The server's CPU seconds (user + sys) and EVALSHA calls so far (zeros without Redis). */
async function redisStats(probe: Redis | null): Promise<{ cpu: number; calls: number }> {
  if (!probe) return { cpu: 0, calls: 0 };
  const info = await probe.info('all');
  const field = (pattern: string) => Number(new RegExp(pattern).exec(info)?.[1] ?? 0);
  return {
    cpu: field('used_cpu_user:([0-9.]+)') + field('used_cpu_sys:([0-9.]+)'),
    calls: field('cmdstat_evalsha:calls=([0-9]+)'),
  };
}

async function loops(l: RateLimiter, run: string, ownTurn: boolean, probe: Redis | null): Promise<string> {
  const deadline = performance.now() + SECONDS * 1000;
  let ops = 0;
  const redis0 = await redisStats(probe);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) await once(l, run, ops++, ownTurn);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const redis1 = await redisStats(probe);
  const nodeUs = (cpu.user + cpu.system) / ops;
  const redisUs = ((redis1.cpu - redis0.cpu) * 1e6) / ops;
  const calls = (redis1.calls - redis0.calls) / ops;
  const server = probe
    ? `, redis ${redisUs.toFixed(1).padStart(5)} µs/op, ${calls.toFixed(2)} script calls/op`
    : '';
  return `${String(Math.round(ops / seconds)).padStart(6)} ops/s, node ${nodeUs.toFixed(1).padStart(5)} µs/op${server}`;
}

async function measure(name: string, l: RateLimiter, probe: Redis | null): Promise<void> {
  const run = randomUUID();
  for (let i = 0; i < 2000; i++) await once(l, run, i, false); // warm-up (JIT, script load)

  // Sequential, timing admit (on the request path) and settle (off it, in onFinish) apart.
  let admitNs = 0n;
  let settleNs = 0n;
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = process.hrtime.bigint();
    const a = await l.admit(checks(run, i), { tokens: 500, worstCostMicros: 2000 });
    const t1 = process.hrtime.bigint();
    if (!a.ok) throw new Error(`refused: ${a.reason}`);
    await l.settle(a.ticket, { tokens: 420, costMicros: 1500 });
    admitNs += t1 - t0;
    settleNs += process.hrtime.bigint() - t1;
  }
  const admitUs = Number(admitNs) / 1000 / ITERATIONS;
  const settleUs = Number(settleNs) / 1000 / ITERATIONS;
  console.log(
    `${name.padEnd(7)} sequential          ${(admitUs + settleUs).toFixed(1).padStart(6)} µs/op (admit ${admitUs.toFixed(1)} + settle ${settleUs.toFixed(1)})`,
  );
  console.log(`${name.padEnd(7)} ${CONCURRENCY} loops            ${await loops(l, run, false, probe)}`);
  console.log(`${name.padEnd(7)} ${CONCURRENCY} loops, 1/turn    ${await loops(l, run, true, probe)}`);
}

const prefix = `bench:rl:${randomUUID()}`;
console.log(
  `admit + settle, 3 scopes (rpm, tpm, parallel, budget); ${ITERATIONS} sequential, loops ${SECONDS} s`,
);
const memory = new MemoryRateLimiter({ logger });
await measure('memory', memory, null);
await memory.close();

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
const reachable = await probe.connect().then(
  () => true,
  () => false,
);
if (reachable) {
  const redis = new RedisRateLimiter({ redis: url, prefix, logger });
  await measure('redis', redis, probe);
  await redis.close();
  const keys = await probe.keys(`${prefix}:*`);
  if (keys.length > 0) await probe.del(...keys);
  await probe.quit();
} else {
  probe.disconnect();
  console.log(`redis   skipped: ${url} unreachable`);
}
