import { MemoryRateLimiter } from './memory-limiter.ts';
import { RedisRateLimiter } from './redis-limiter.ts';
import type { LimiterOptions, RateLimiter } from './types.ts';

export interface CreateRateLimiterOptions extends LimiterOptions {
  /** With a Redis URL the limits are shared by every replica; without, they hold per process. */
  redisUrl?: string | null;
  prefix?: string;
}

/**
 * Picks the implementation: Redis when a URL is given, else memory.
 *
 * @example
 * const limiter = createRateLimiter({ redisUrl: process.env.REDIS_URL, logger });
 */
export function createRateLimiter(options: CreateRateLimiterOptions): RateLimiter {
  const { redisUrl, prefix, ...rest } = options;
  if (redisUrl) return new RedisRateLimiter({ ...rest, redis: redisUrl, ...(prefix ? { prefix } : {}) });
  return new MemoryRateLimiter(rest);
}
