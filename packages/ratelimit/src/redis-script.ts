import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script called by EVALSHA, loaded on first use and again after a NOSCRIPT (a Redis restart
 * or SCRIPT FLUSH), so the script body crosses the wire only when needed.
 */
export class RedisScript {
  readonly #lua: string;
  readonly #sha: string;

  constructor(lua: string) {
    this.#lua = lua;
    this.#sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    // One argument array, not a spread: a batch can carry hundreds of keys and arguments.
    const head: Array<string | number> = [this.#sha, keys.length];
    try {
      return await redis.call('evalsha', head.concat(keys, args));
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      head[0] = this.#lua;
      return redis.call('eval', head.concat(keys, args));
    }
  }
}
