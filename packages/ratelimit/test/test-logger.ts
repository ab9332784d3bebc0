import type { LimiterLogger } from '../src/index.ts';

/** Records what the limiter logs (the package does not depend on @warden/core's logger). */
export function testLogger(): LimiterLogger & { lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = [];
  return {
    lines,
    warn: (msg) => void lines.push({ level: 'warn', msg }),
    error: (msg) => void lines.push({ level: 'error', msg }),
  };
}
