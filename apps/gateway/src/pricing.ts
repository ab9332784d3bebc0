import type { Deployment, Usage } from '@warden/core';
import { costMicros, priceFor } from '@warden/pricing';

export type CostFn = (deployment: Deployment, usage: Usage) => { micros: number; unpriced: boolean };

/** Cost of one call from its usage; prices are looked up once per deployment, not per request. */
export function createCostFn(): CostFn {
  const cache = new Map<string, ReturnType<typeof priceFor>>();
  return (deployment, usage) => {
    let price = cache.get(deployment.id);
    if (price === undefined) {
      price = priceFor(deployment);
      cache.set(deployment.id, price);
    }
    if (!price) return { micros: 0, unpriced: true };
    return { micros: costMicros(usage, price), unpriced: false };
  };
}
