import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescer.ts';

interface Call {
  value: number;
  resolve(v: number): void;
  reject(reason: unknown): void;
}

/** A coalescer whose "script" doubles each call's value, recording every batch it was sent. */
function doubler(
  options: { maxCalls?: number; fail?: (args: ReadonlyArray<string | number>) => unknown } = {},
) {
  const sent: Array<{ keys: readonly string[]; args: ReadonlyArray<string | number> }> = [];
  const coalescer = new Coalescer<Call>({
    header: (tag) => [`tag:${tag}`],
    send: async (keys, args) => {
      sent.push({ keys: [...keys], args: [...args] });
      const err = options.fail?.(args);
      if (err) throw err;
      return args.slice(1).map((v) => Number(v) * 2);
    },
    deliver: (out, calls) => {
      const values = out as number[];
      calls.forEach((c, i) => {
        if (values[i] === 2 * 13) c.reject(new Error('unlucky'));
        else c.resolve(values[i]!);
      });
    },
    maxCalls: options.maxCalls ?? 100,
  });
  const call = (value: number, tag = 0) => {
    const batch = coalescer.join(tag);
    batch.keys.push(`k${value}`);
    batch.args.push(value);
    return new Promise<number>((resolve, reject) => batch.waiters.push({ value, resolve, reject }));
  };
  return { coalescer, call, sent };
}

describe('Coalescer', () => {
  it('sends the calls of one turn as one batch, in order, and answers each its part', async () => {
    const { call, sent } = doubler();
    const results = await Promise.all([call(1), call(2), call(3)]);
    expect(results).toEqual([2, 4, 6]);
    expect(sent).toEqual([{ keys: ['k1', 'k2', 'k3'], args: ['tag:0', 1, 2, 3] }]);
  });

  it('calls made after an await of the same turn still join (the flush runs after promise jobs)', async () => {
    const { call, sent } = doubler();
    const later = async (v: number) => {
      await null;
      await null;
      return call(v);
    };
    expect(await Promise.all([call(1), later(2), later(3)])).toEqual([2, 4, 6]);
    expect(sent).toHaveLength(1);
  });

  it('a batch of one is a plain call; the next turn starts a new batch', async () => {
    const { call, sent } = doubler();
    expect(await call(1)).toBe(2);
    expect(await call(2)).toBe(4);
    expect(sent.map((s) => s.args)).toEqual([
      ['tag:0', 1],
      ['tag:0', 2],
    ]);
  });

  it('splits on another tag and past maxCalls, keeping the order', async () => {
    const { call, sent } = doubler({ maxCalls: 2 });
    const results = await Promise.all([call(1), call(2), call(3), call(4, 7), call(5, 7)]);
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(sent.map((s) => s.args)).toEqual([
      ['tag:0', 1, 2],
      ['tag:0', 3],
      ['tag:7', 4, 5],
    ]);
  });

  it('flush() sends the open batch at once', async () => {
    const { coalescer, call, sent } = doubler();
    const first = call(1);
    coalescer.flush();
    expect(sent).toHaveLength(1);
    const second = call(2);
    expect(await Promise.all([first, second])).toEqual([2, 4]);
    expect(sent).toHaveLength(2);
  });

  it('an error of the whole call fails every caller with that error; a per-call error only its caller', async () => {
    const boom = new Error('redis down');
    const { call } = doubler({ fail: (args) => (args.includes(99) ? boom : null) });
    const failed = await Promise.allSettled([call(1), call(99), call(3)]);
    expect(failed).toEqual([
      { status: 'rejected', reason: boom },
      { status: 'rejected', reason: boom },
      { status: 'rejected', reason: boom },
    ]);
    const mixed = await Promise.allSettled([call(1), call(13), call(3)]);
    expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('a send that throws synchronously fails its callers', async () => {
    const boom = new Error('sync');
    const coalescer = new Coalescer<Call>({
      header: () => [],
      send: () => {
        throw boom;
      },
      deliver: () => {},
      maxCalls: 10,
    });
    const batch = coalescer.join(0);
    const p = new Promise<number>((resolve, reject) => batch.waiters.push({ value: 1, resolve, reject }));
    await expect(p).rejects.toBe(boom);
  });
});
