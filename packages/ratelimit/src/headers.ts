import type { RateLimitHeaders } from './types.ts';

/** One sliding-window limit as seen at admission: its limit, what is used, and its oldest entry. */
export interface WindowStat {
  limit: number;
  used: number;
  /** Timestamp (ms) of the oldest entry still in the window, or null when it is empty. */
  oldest: number | null;
}

/** Keeps the stat with the least room left: headers describe the scope that binds first. */
export function tighter(a: WindowStat | null, b: WindowStat): WindowStat {
  if (!a) return b;
  return b.limit - b.used < a.limit - a.used ? b : a;
}

/** ms until the oldest entry leaves the window, i.e. until room starts coming back. */
export function untilRoomMs(stat: WindowStat | null, now: number, windowMs: number): number {
  if (!stat || stat.oldest === null) return 0;
  return Math.max(0, stat.oldest + windowMs - now);
}

/** OpenAI's duration style for x-ratelimit-reset-*: `350ms`, `12s`, `1m0s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const total = Math.ceil(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}

export function rateLimitHeaders(
  requests: WindowStat | null,
  tokens: WindowStat | null,
  now: number,
  windowMs: number,
): RateLimitHeaders {
  const h: RateLimitHeaders = {};
  if (requests) {
    h['x-ratelimit-limit-requests'] = String(requests.limit);
    h['x-ratelimit-remaining-requests'] = String(Math.max(0, requests.limit - requests.used));
    h['x-ratelimit-reset-requests'] = formatDuration(untilRoomMs(requests, now, windowMs));
  }
  if (tokens) {
    h['x-ratelimit-limit-tokens'] = String(tokens.limit);
    h['x-ratelimit-remaining-tokens'] = String(Math.max(0, tokens.limit - tokens.used));
    h['x-ratelimit-reset-tokens'] = formatDuration(untilRoomMs(tokens, now, windowMs));
  }
  return h;
}
