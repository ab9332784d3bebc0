import type { Target } from '../targets/types.ts';

/**
 * Target order for round `r`: rotated each round, so slow drift of the machine (other tenants,
 * thermal state, a growing database) is spread over every target instead of landing on one.
 */
export function rotation(targets: Target[], r: number): Target[] {
  const k = r % targets.length;
  return [...targets.slice(k), ...targets.slice(0, k)];
}

export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
