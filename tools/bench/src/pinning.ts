import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Which core runs what. On two cores the fair split is: the gateway under test alone on core 1; the
 * mock upstream and the load generator (this process) on core 0. Every target, the direct path
 * included, then sees the same client and upstream, and a gateway cannot borrow the generator's core.
 */
export interface PinPlan {
  enabled: boolean;
  reason: string;
  generatorCore: number | null;
  mockCore: number | null;
  gatewayCore: number | null;
}

export function planPinning(disable: boolean): PinPlan {
  const cores = availableParallelism();
  const none = (reason: string): PinPlan => ({
    enabled: false,
    reason,
    generatorCore: null,
    mockCore: null,
    gatewayCore: null,
  });
  if (disable) return none('disabled by --no-pin');
  if (cores < 2) return none(`only ${cores} core available`);
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
  } catch {
    return none('taskset not found');
  }
  return { enabled: true, reason: `${cores} cores`, generatorCore: 0, mockCore: 0, gatewayCore: 1 };
}

/** Pin this process (the load generator). */
export function pinSelf(core: number | null): void {
  if (core === null) return;
  execFileSync('taskset', ['-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

/** The affinity list the kernel reports for `pid` (e.g. "1"), read back rather than assumed. */
export function affinityOf(pid: number): string {
  try {
    const out = execFileSync('taskset', ['-p', '-c', String(pid)], { encoding: 'utf8' });
    return out.trim().split(':').pop()?.trim() ?? '?';
  } catch {
    return '?';
  }
}
