/** One call waiting for its deadline. */
export interface Deadline {
  /** `performance.now()` value after which `expire` is called. */
  readonly at: number;
  expire(): void;
}

/**
 * Deadlines of hook calls in flight, checked by one interval instead of a `setTimeout` each: a Node
 * timer per async hook call (created, inserted, cleared) cost more than the rest of the driver. A
 * deadline fires up to `tickMs` late (a quarter of the timeout, at most 100 ms), which is fine for a
 * bound meant to stop a plugin that hangs. The interval runs only while something is pending.
 */
export class Deadlines {
  readonly #pending = new Set<Deadline>();
  readonly #tickMs: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(timeoutMs: number) {
    this.#tickMs = Math.max(1, Math.min(100, Math.floor(timeoutMs / 4)));
  }

  add(deadline: Deadline): void {
    this.#pending.add(deadline);
    if (this.#timer === null) this.#timer = setInterval(() => this.#sweep(), this.#tickMs);
  }

  delete(deadline: Deadline): void {
    this.#pending.delete(deadline);
  }

  get size(): number {
    return this.#pending.size;
  }

  #sweep(): void {
    const now = performance.now();
    for (const d of this.#pending) {
      if (d.at > now) continue;
      this.#pending.delete(d);
      d.expire();
    }
    if (this.#pending.size === 0 && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }
}
