import type { FinishSummary, KeyContext } from '@warden/core';
import { BadRequestError, RequestState } from '@warden/core';
import { describe, expect, it } from 'vitest';
import { createMemorySpendSink } from './memory-sink.ts';
import { createSpendPlugin } from './spend-plugin.ts';

function summary(over: Partial<FinishSummary> = {}): FinishSummary {
  return {
    requestId: 'req-1',
    status: 200,
    error: null,
    stream: false,
    upstreamCalled: true,
    aborted: false,
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
    usageEstimated: false,
    costMicros: 1234,
    unpriced: false,
    startedAt: performance.now() - 40,
    ttfbMs: 10,
    durationMs: 40,
    ...over,
  };
}

const key = { hash: 'h'.repeat(64), teamId: 'team-1', userId: 'user-1' } as KeyContext;

function request(body: Record<string, unknown>, endpoint: 'chat' | null = 'chat', headers = {}) {
  const state = new RequestState({
    requestId: 'req-1',
    method: 'POST',
    route: '/chat/completions',
    endpoint,
    headers,
    signal: new AbortController().signal,
    body,
  });
  state.setKey(key);
  state.setDeployment({ id: 'gpt#0', model: 'gpt-4o-2024-08-06' } as never);
  return state;
}

describe('spend plugin', () => {
  it('pushes one row per finished LLM call with key, model, deployment, usage and timings', async () => {
    const sink = createMemorySpendSink();
    const plugin = createSpendPlugin({ sink });
    const ctx = request({ model: 'gpt', metadata: { project: 'x' } }, 'chat', {
      'x-request-id': 'client-42',
    });
    const before = Date.now();
    plugin.onFinish!(ctx, summary());
    plugin.onFinish!(ctx, summary()); // a second call for the same request is ignored
    await sink.flush();
    const rows = [...sink.store.rows.values()];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      requestId: 'client-42',
      keyHash: key.hash,
      teamId: 'team-1',
      userId: 'user-1',
      model: 'gpt',
      deploymentId: 'gpt#0',
      providerModel: 'gpt-4o-2024-08-06',
      promptTokens: 11,
      completionTokens: 7,
      totalTokens: 18,
      costMicros: 1234,
      status: 200,
      errorType: null,
      ttfbMs: 10,
      durationMs: 40,
      metadata: { project: 'x' },
    });
    expect(Math.abs(rows[0]!.startedAt - (before - 40))).toBeLessThan(1000);
    expect(sink.store.keySpend.get(key.hash)).toBe(1234);
  });

  it('skips non-LLM routes, records errors and bounds metadata', async () => {
    const sink = createMemorySpendSink();
    const plugin = createSpendPlugin({ sink, maxMetadataBytes: 64 });
    plugin.onFinish!(request({}, null), summary());
    plugin.onFinish!(
      request({ model: 'gpt', metadata: { blob: 'x'.repeat(100) } }),
      summary({ status: 400, error: new BadRequestError('no'), usage: null, costMicros: 0, aborted: true }),
    );
    await sink.flush();
    const rows = [...sink.store.rows.values()];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 400,
      errorType: 'bad_request_error',
      totalTokens: 0,
      aborted: true,
      requestId: 'req-1',
      metadata: { truncated: true },
    });
  });

  it('closes the sink when the plugin closes', async () => {
    const sink = createMemorySpendSink();
    const plugin = createSpendPlugin({ sink });
    plugin.onFinish!(request({ model: 'gpt' }), summary());
    await plugin.close!();
    expect(sink.store.rows.size).toBe(1);
  });
});

describe('spend plugin through the real hook driver', () => {
  it('loads as a plugin and logs one row per request, streamed or not', async () => {
    const { runPlugin } = await import('@warden/core/testing');
    const sink = createMemorySpendSink();
    const plugin = createSpendPlugin({ sink });
    const ok = await runPlugin(plugin, { request: { model: 'test-model', messages: [] }, key });
    const streamed = await runPlugin(plugin, {
      request: { model: 'test-model', messages: [], stream: true },
      key,
    });
    expect([ok.status, streamed.status]).toEqual([200, 200]);
    await sink.flush();
    const rows = [...sink.store.rows.values()];
    expect(rows.map((r) => [r.requestId, r.stream, r.deploymentId, r.keyHash, r.totalTokens])).toEqual([
      ['test-request', false, 'test#0', key.hash, ok.finish.usage!.total_tokens],
      ['test-request', true, 'test#0', key.hash, streamed.finish.usage!.total_tokens],
    ]);
  });
});
