import { describe, expect, it } from 'vitest';
import { RequestState } from './context.ts';
import { HookDriver, PluginError } from './driver.ts';
import { BadRequestError, isGatewayError } from './errors.ts';
import { loadPlugins, PluginLoadError } from './load-plugins.ts';
import { createMemoryLogger } from './logger.ts';
import { definePlugin, type PluginDefinition } from './plugin.ts';
import type { FinishSummary, StreamChunk } from './types.ts';

const logger = createMemoryLogger();
const state = (body: Record<string, unknown> = { model: 'm', messages: [] }) =>
  new RequestState({
    requestId: 'r1',
    method: 'POST',
    route: '/chat/completions',
    endpoint: 'chat',
    headers: {},
    signal: new AbortController().signal,
    body,
  });
const base = { version: '1.0.0', apiVersion: '1.0' };
const driverOf = (plugins: PluginDefinition<any>[], hookTimeoutMs = 1000) =>
  new HookDriver(
    plugins.map((definition) => ({ definition, options: {} })),
    { logger, hookTimeoutMs },
  );

describe('HookDriver', () => {
  it('runs hooks in plugin order, each seeing the previous change', async () => {
    const seen: string[] = [];
    const a = definePlugin({
      ...base,
      name: 'a',
      onRequest: (ctx) => {
        seen.push(`a:${ctx.body.n ?? 0}`);
        ctx.setBody({ ...ctx.body, n: 1 });
      },
    });
    const b = definePlugin({
      ...base,
      name: 'b',
      onRequest: async (ctx) => {
        seen.push(`b:${ctx.body.n}`);
        ctx.setBody({ ...ctx.body, n: 2 });
      },
    });
    const s = state();
    await driverOf([a, b]).onRequest(s);
    expect(seen).toEqual(['a:0', 'b:1']);
    expect(s.body.n).toBe(2);
    expect(s.bodyChanged).toBe(true);
  });

  it('short-circuits on a hook answer and on a typed rejection', async () => {
    const calls: string[] = [];
    const answer = definePlugin({
      ...base,
      name: 'cache',
      onRequest: () => ({ respond: { status: 200, body: { cached: true } } }),
    });
    const after = definePlugin({ ...base, name: 'after', onRequest: () => void calls.push('after') });
    expect(await driverOf([answer, after]).onRequest(state())).toEqual({
      respond: { status: 200, body: { cached: true } },
    });
    expect(calls).toEqual([]);

    const reject = definePlugin({
      ...base,
      name: 'reject',
      beforeUpstream: () => {
        throw new BadRequestError('no', 'user');
      },
    });
    const err = await driverOf([reject, after])
      .beforeUpstream(state())
      .catch((e) => e);
    expect(isGatewayError(err)).toBe(true);
    expect(err.status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('wraps a throwing plugin with its name and hook', async () => {
    const bad = definePlugin({
      ...base,
      name: 'buggy',
      onRequest: () => {
        throw new TypeError('oops');
      },
    });
    const err = await driverOf([bad])
      .onRequest(state())
      .catch((e) => e);
    expect(err).toBeInstanceOf(PluginError);
    expect(err.message).toBe('plugin buggy onRequest: oops');
    expect(isGatewayError(err)).toBe(false);
  });

  it('times out a slow hook and discards the changes it makes afterwards', async () => {
    let late!: () => void;
    const slow = definePlugin({
      ...base,
      name: 'slow',
      onRequest: (ctx) =>
        new Promise<void>((resolve) => {
          late = () => {
            ctx.setBody({ hijacked: true });
            ctx.setResponseHeader('x-late', '1');
            resolve();
          };
        }),
    });
    const s = state();
    const err = await driverOf([slow], 30)
      .onRequest(s)
      .catch((e) => e);
    expect(err).toBeInstanceOf(PluginError);
    expect(err.message).toContain('timed out after 30 ms');
    late();
    expect(s.body.hijacked).toBeUndefined();
    expect(s.responseHeaders).toBeNull();
  });

  it('runs chunk hooks synchronously, chaining and dropping', () => {
    const upper = definePlugin({
      ...base,
      name: 'upper',
      onChunk: (_ctx, c) => ({
        ...c,
        choices: [{ index: 0, text: String(c.choices[0]?.text).toUpperCase() }],
      }),
    });
    const drop = definePlugin({
      ...base,
      name: 'drop',
      onChunk: (_ctx, c) => (c.choices[0]?.text === 'SKIP' ? null : undefined),
    });
    const d = driverOf([upper, drop]);
    expect(d.hasChunkHooks).toBe(true);
    const chunk = (text: string): StreamChunk => ({ choices: [{ index: 0, text }] });
    expect(d.chunk(state(), chunk('hi'))?.choices[0]?.text).toBe('HI');
    expect(d.chunk(state(), chunk('skip'))).toBeNull();
    const asyncChunk = definePlugin({ ...base, name: 'async', onChunk: (async () => undefined) as never });
    expect(() => driverOf([asyncChunk]).chunk(state(), chunk('x'))).toThrow(/must be synchronous/);
  });

  it('lets afterResponse replace a non-streamed body', async () => {
    const p = definePlugin({
      ...base,
      name: 'rewrite',
      afterResponse: (_ctx, r) => ({ body: { ...r.body, extra: 1 } }),
    });
    const out = await driverOf([p]).afterResponse(state(), {
      status: 200,
      stream: false,
      body: { a: 1 },
      usage: null,
    });
    expect(out).toEqual({ a: 1, extra: 1 });
  });

  it('runs finish hooks off the call path and only logs their failures', async () => {
    const log = createMemoryLogger();
    const seen: number[] = [];
    const ok = definePlugin({ ...base, name: 'ok', onFinish: (_c, s) => void seen.push(s.status) });
    const bad = definePlugin({
      ...base,
      name: 'bad',
      onFinish: () => {
        throw new Error('boom');
      },
    });
    const d = new HookDriver(
      [
        { definition: bad, options: {} },
        { definition: ok, options: {} },
      ],
      { logger: log },
    );
    d.finish(state(), { status: 200 } as FinishSummary);
    expect(seen).toEqual([]); // not on the caller's path
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([200]);
    expect(log.lines.join('')).toContain('"plugin":"bad"');
  });

  it('passes each plugin its own options', async () => {
    const seen: unknown[] = [];
    const p = definePlugin({ ...base, name: 'opt', onRequest: (ctx) => void seen.push(ctx.options) });
    await new HookDriver([{ definition: p, options: { a: 1 } }], { logger }).onRequest(state());
    expect(seen).toEqual([{ a: 1 }]);
  });
});

describe('plugin loading', () => {
  it('refuses unknown hook names and duplicate names', async () => {
    expect(() => definePlugin({ ...base, name: 'typo', onReqest: () => {} } as never)).toThrow(
      /unknown hook "onReqest"/,
    );
    const p = definePlugin({ ...base, name: 'twice' });
    await expect(
      loadPlugins(
        [
          { source: 'x', definition: p },
          { source: 'y', definition: p },
        ],
        logger,
      ),
    ).rejects.toThrow(/duplicate plugin name "twice"/);
    expect(() => driverOf([p, p])).toThrow(/duplicate/);
  });

  it('refuses a major apiVersion mismatch and objects not made by definePlugin', async () => {
    const future = definePlugin({ ...base, name: 'future', apiVersion: '2.0' });
    await expect(loadPlugins([{ source: 'f', definition: future }], logger)).rejects.toThrow(
      /apiVersion 2.0 is not compatible/,
    );
    await expect(loadPlugins([{ source: 'pkg', definition: { name: 'x' } }], logger)).rejects.toBeInstanceOf(
      PluginLoadError,
    );
  });

  it('validates options with any Standard Schema and reports the plugin name', async () => {
    const schema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (v: unknown) =>
          typeof (v as { limit?: unknown }).limit === 'number'
            ? { value: v as { limit: number } }
            : { issues: [{ message: 'expected number', path: ['limit'] }] },
      },
    };
    const p = definePlugin({ ...base, name: 'strict', options: schema });
    await expect(
      loadPlugins([{ source: 'strict', definition: p, options: { limit: 'x' } }], logger),
    ).rejects.toThrow('plugin strict: invalid options: limit: expected number');
    const ok = await loadPlugins([{ source: 'strict', definition: p, options: { limit: 3 } }], logger);
    expect(ok[0]?.options).toEqual({ limit: 3 });
  });
});
