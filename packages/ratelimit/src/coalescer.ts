/** A caller waiting for its part of a batch's reply. */
export interface Waiter {
  reject(reason: unknown): void;
}

/** One script call being assembled: the KEYS and ARGV of every call in it, in call order. */
export interface Batch<W extends Waiter> {
  /** Calls with different tags never share a batch (the admit script takes one clock per call). */
  readonly tag: number;
  readonly keys: string[];
  readonly args: Array<string | number>;
  readonly waiters: W[];
}

export interface CoalescerOptions<W extends Waiter> {
  /** The start of a batch's ARGV: what every call in it shares. */
  header(tag: number): Array<string | number>;
  send(keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown>;
  /** Hands every waiter its part of the reply, in order (or rejects it with its own error). */
  deliver(reply: unknown, waiters: readonly W[]): void;
  /** Bounds how long one script runs in Redis (and the size of one command). */
  maxCalls: number;
}

/**
 * Collects the calls made in one event-loop turn into ONE script call. The flush is a
 * `setImmediate`: it runs right after the I/O phase that delivered the requests, so every request
 * whose bytes arrived in that phase (under load, ~10 at a time) shares one script call, and a request
 * arriving alone is sent in the same turn. This is no later than before: ioredis' autopipelining,
 * which the limiter's own client used, also held every command until `setImmediate` (and then held
 * new ones until the pipeline in flight returned); the limiter's client now has it off, so batches
 * go out at once and several can be in flight. (A `process.nextTick` flush was measured first: in a
 * live gateway every batch then held exactly one call.)
 * An error of the whole call (Redis down, command timeout) fails every waiter with that error.
 */
export class Coalescer<W extends Waiter> {
  readonly #options: CoalescerOptions<W>;
  #open: Batch<W> | null = null;
  #scheduled = false;
  readonly #flushSoon = () => {
    this.#scheduled = false;
    this.flush();
  };

  constructor(options: CoalescerOptions<W>) {
    this.#options = options;
  }

  /** The batch a call made now joins: the open one, unless it is full or has another tag. */
  join(tag: number): Batch<W> {
    const open = this.#open;
    if (open !== null && open.tag === tag && open.waiters.length < this.#options.maxCalls) return open;
    this.flush();
    const batch: Batch<W> = { tag, keys: [], args: this.#options.header(tag), waiters: [] };
    this.#open = batch;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flushSoon);
    }
    return batch;
  }

  /** Sends the open batch now (so that a call of another kind made after it reaches Redis after it). */
  flush(): void {
    const batch = this.#open;
    if (batch === null) return;
    this.#open = null;
    const { waiters } = batch;
    let reply: Promise<unknown>;
    try {
      reply = this.#options.send(batch.keys, batch.args);
    } catch (err) {
      failAll(waiters, err);
      return;
    }
    reply.then(
      (out) => {
        try {
          this.#options.deliver(out, waiters);
        } catch (err) {
          failAll(waiters, err); // a malformed reply: those already answered keep their answer
        }
      },
      (err: unknown) => failAll(waiters, err),
    );
  }
}

function failAll(waiters: readonly Waiter[], err: unknown): void {
  for (const w of waiters) w.reject(err);
}
