import type { SpendRow } from '../src/spend-row.ts';
import { uuidv7 } from '../src/uuidv7.ts';

export function makeRow(over: Partial<SpendRow> = {}): SpendRow {
  return {
    id: uuidv7(),
    requestId: 'req',
    keyHash: 'k'.repeat(64),
    teamId: null,
    userId: null,
    model: 'gpt-4o-mini',
    deploymentId: 'gpt-4o-mini#0',
    providerModel: 'gpt-4o-mini',
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    costMicros: 7,
    status: 200,
    stream: false,
    usageEstimated: false,
    unpriced: false,
    aborted: false,
    errorType: null,
    startedAt: Date.now(),
    durationMs: 12,
    ttfbMs: 3,
    metadata: {},
    ...over,
  };
}

export async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
