/** Something to call when a request is cancelled (an object, so callers need not allocate a closure). */
export interface CancelListener {
  handleEvent(): void;
}

/**
 * The "client went away" switch of one request. Node's AbortController/AbortSignal pair is costly
 * to create (an EventTarget with its own bookkeeping: ~2 % of the gateway's CPU when made for every
 * request), and most requests end without ever being cancelled or asked for a signal. So the real
 * AbortSignal is made only when someone reads `signal` (a plugin, a streamed upstream call); the
 * whole-answer upstream call subscribes with `onCancel` instead.
 */
export class Cancellation {
  #controller: AbortController | null = null;
  #cancelled = false;
  #reason: unknown = undefined;
  #listeners: CancelListener[] | null = null;

  /** A cancellation that follows an existing signal (tests and callers that already hold one). */
  static following(signal: AbortSignal): Cancellation {
    const c = new Cancellation();
    if (signal.aborted) c.cancel(signal.reason);
    else signal.addEventListener('abort', () => c.cancel(signal.reason), { once: true });
    return c;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Why it was cancelled: the reason given, or an `AbortError` DOMException as AbortController uses. */
  get reason(): unknown {
    return this.#reason;
  }

  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#cancelled) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  cancel(reason?: unknown): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    this.#controller?.abort(this.#reason);
    const listeners = this.#listeners;
    this.#listeners = null;
    if (listeners) for (const l of listeners) l.handleEvent();
  }

  /** Calls `listener.handleEvent()` once on cancel (not if already cancelled: check `cancelled` first). */
  onCancel(listener: CancelListener): void {
    if (this.#cancelled) return;
    if (this.#listeners === null) this.#listeners = [listener];
    else this.#listeners.push(listener);
  }

  offCancel(listener: CancelListener): void {
    const list = this.#listeners;
    if (!list) return;
    const at = list.indexOf(listener);
    if (at >= 0) list.splice(at, 1);
  }
}
