export { createRateLimiter } from './create.ts';
export type { CreateRateLimiterOptions } from './create.ts';
export { formatDuration } from './headers.ts';
export { MemoryRateLimiter } from './memory-limiter.ts';
export { RedisRateLimiter } from './redis-limiter.ts';
export type { RedisLimiterOptions } from './redis-limiter.ts';
export { DEFAULT_LEASE_MS, DEFAULT_MAX_HOLD_MS, DEFAULT_WINDOW_MS } from './types.ts';
export type {
  Admission,
  AdmissionEstimate,
  BudgetCheck,
  LimitCheck,
  LimiterLogger,
  LimiterOptions,
  RateLimiter,
  RateLimitHeaders,
  RefusalReason,
  ScopeUsage,
  Ticket,
} from './types.ts';
