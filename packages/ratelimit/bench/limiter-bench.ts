/**
 * Cost of one admit + settle, memory vs Redis, for a typical request: key + team + deployment
 * scopes with rpm, tpm, parallel and budget limits (4 scopes' worth of keys in one Lua call).
 *
 *   npx tsx packages/ratelimit/bench/limiter-bench.ts            # memory, and Redis at REDIS_URL
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx packages/ratelimit/bench/limiter-bench.ts
 *
 * "sequential" is the latency one request adds; "concurrent" keeps 64 requests in flight, which
 * lets ioredis pipeline the scripts, and shows throughput.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { type LimitCheck, MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from '../src/index.ts';

const logger = { warn: console.warn, error: console.error };
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000);
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

async function once(l: RateLimiter, run: string, i: number): Promise<void> {
  const a = await l.admit(checks(run, i), { tokens: 500, worstCostMicros: 2000 });
  if (!a.ok) throw new Error(`refused: ${a.reason}`);
  await l.settle(a.ticket, { tokens: 420, costMicros: 1500 });
}

async function measure(name: string, l: RateLimiter): Promise<void> {
  const run = randomUUID();
  for (let i = 0; i < 500; i++) await once(l, run, i); // warm-up (JIT, script load)

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
  const seqUs = admitUs + settleUs;

  let t = process.hrtime.bigint();

  t = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ITERATIONS) await once(l, run, next++);
    }),
  );
  const concUs = Number(process.hrtime.bigint() - t) / 1000 / ITERATIONS;
  console.log(
    `${name.padEnd(7)} sequential ${seqUs.toFixed(1).padStart(7)} µs/op (admit ${admitUs.toFixed(1)} + settle ${settleUs.toFixed(1)})   ` +
      `concurrent(${CONCURRENCY}) ${concUs.toFixed(1).padStart(6)} µs/op (${Math.round(1e6 / concUs)} ops/s)`,
  );
}

const prefix = `bench:rl:${randomUUID()}`;
console.log(`admit + settle, 3 scopes (rpm, tpm, parallel, budget), ${ITERATIONS} iterations`);
const memory = new MemoryRateLimiter({ logger });
await measure('memory', memory);
await memory.close();

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
const reachable = await probe.connect().then(
  () => true,
  () => false,
);
if (reachable) {
  const redis = new RedisRateLimiter({ redis: url, prefix, logger });
  await measure('redis', redis);
  await redis.close();
  const keys = await probe.keys(`${prefix}:*`);
  if (keys.length > 0) await probe.del(...keys);
  await probe.quit();
} else {
  probe.disconnect();
  console.log(`redis   skipped: ${url} unreachable`);
}
