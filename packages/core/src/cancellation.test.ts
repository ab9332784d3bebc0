import { describe, expect, it } from 'vitest';
import { Cancellation } from './cancellation.ts';
import { RequestState } from './context.ts';

describe('Cancellation', () => {
  it('makes its AbortSignal only when asked, and aborts it on cancel', () => {
    const c = new Cancellation();
    const signal = c.signal;
    expect(c.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    c.cancel();
    expect(signal.aborted).toBe(true);
    expect(c.cancelled).toBe(true);
    expect((c.reason as DOMException).name).toBe('AbortError');
    expect(signal.reason).toBe(c.reason);
  });

  it('hands out an already aborted signal when asked after the cancel', () => {
    const c = new Cancellation();
    c.cancel(new Error('gone'));
    expect(c.signal.aborted).toBe(true);
    expect((c.signal.reason as Error).message).toBe('gone');
  });

  it('calls each listener once, never a removed one, and only the first cancel counts', () => {
    const c = new Cancellation();
    const calls: string[] = [];
    const a = { handleEvent: () => calls.push('a') };
    const b = { handleEvent: () => calls.push('b') };
    c.onCancel(a);
    c.onCancel(b);
    c.offCancel(a);
    c.cancel('first');
    c.cancel('second');
    expect(calls).toEqual(['b']);
    expect(c.reason).toBe('first');
    c.onCancel(a); // already cancelled: the caller checks `cancelled` instead
    expect(calls).toEqual(['b']);
  });

  it('follows an existing signal (RequestState built with `signal`)', () => {
    const ac = new AbortController();
    const state = new RequestState({
      requestId: 'r',
      method: 'POST',
      route: '/x',
      endpoint: 'chat',
      headers: {},
      signal: ac.signal,
    });
    expect(state.cancellation.cancelled).toBe(false);
    ac.abort('client left');
    expect(state.cancellation.cancelled).toBe(true);
    expect(state.signal.aborted).toBe(true);
    expect(state.signal.reason).toBe('client left');
  });
});
