import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../src/report.ts';

const benchDir = resolve(import.meta.dirname, '..');

/** The smoke run uses the embedded database and in-memory limits whatever the suite runs with. */
function embeddedOnly(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return env;
}

// Proves `pnpm bench` still works end to end (processes start, every phase produces numbers, the
// JSON has its shape, nothing is left running). It never asserts speed: this runs beside every other
// suite on a shared machine, where timings mean nothing.
describe('pnpm bench --quick (smoke)', () => {
  it('runs every phase against direct and Warden and writes the results JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
    const out = join(dir, 'results.json');
    try {
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/main.ts',
          '--quick',
          '--targets',
          'direct,node-floor,warden,portkey',
          '--duration',
          '0.5',
          '--soak-minutes',
          '0.02',
          '--out',
          out,
        ],
        { cwd: benchDir, encoding: 'utf8', timeout: 170_000, env: embeddedOnly() },
      );
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      const res = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;

      expect(res.schema).toBe(1);
      expect(res.chain).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{16}$/), database: 'pglite' });
      expect(res.targets.warden, JSON.stringify(res.targets.warden)).toMatchObject({ workers: 1 });
      expect(res.pinning.processes.map((p) => p.name)).toEqual(
        expect.arrayContaining(['mock upstream', 'warden']),
      );

      for (const name of ['direct', 'node-floor', 'warden']) {
        expect(res.throughput[name]?.maxRps).toBeGreaterThan(0);
        expect(res.latency['500']?.[name]?.ok).toBeGreaterThan(0);
        expect(res.streaming.stream?.[name]?.ok).toBeGreaterThan(0);
        expect(res.streaming.streamShort?.[name]?.ok).toBeGreaterThan(0);
      }
      expect(res.memory.warden?.peakPerProcessMb).toBeGreaterThan(0);
      expect(res.soak.warden?.samples.length).toBeGreaterThan(0);
      expect(res.summary.warden).toMatchObject({
        maxRps: expect.any(Number),
        vsDirect: expect.any(Number),
        added: { '500': { p50Ms: expect.any(Number), p99Ms: expect.any(Number) } },
        perChunkUs: expect.any(Number),
      });
      expect(res.checks.filter((c) => c.target === 'warden').map((c) => c.name)).toHaveLength(8);
      expect(run.stdout).toContain('pinning:');
      expect(run.stdout).toMatch(/warden: \d+ rps = [\d.]+× direct/);
      expect(run.stdout).toMatch(/warden − node-floor: [\d.]+× the floor's throughput/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
