import { BadRequestError } from '@warden/core';
import { keyRefToHash } from '@warden/keys';

type Query = Record<string, string | string[] | undefined>;

/** One value of a query parameter (the first if repeated); empty means absent. */
export function param(query: Query, name: string): string | undefined {
  const value = query[name];
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined || one === '' ? undefined : one;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `start_date` / `end_date` as LiteLLM sends them (`YYYY-MM-DD`, UTC) or a full ISO timestamp. A
 * date-only end is inclusive: it bounds at the next midnight.
 */
export function dateParam(query: Query, name: string, end: boolean): Date | undefined {
  const raw = param(query, name);
  if (raw === undefined) return undefined;
  const dateOnly = DATE_ONLY.test(raw);
  const date = new Date(dateOnly ? `${raw}T00:00:00.000Z` : raw);
  if (Number.isNaN(date.getTime())) {
    throw new BadRequestError(`${name} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp`, name);
  }
  if (dateOnly && end) date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

export function intParam(query: Query, name: string, fallback: number, min: number, max: number): number {
  const raw = param(query, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new BadRequestError(`${name} must be an integer between ${min} and ${max}`, name);
  }
  return n;
}

/**
 * `api_key` may be the raw `sk-...` key or its SHA-256 hex (what the key list shows): spend rows
 * only know the hash.
 */
export function keyHashParam(query: Query, name: string): string | undefined {
  const raw = param(query, name);
  if (raw === undefined) return undefined;
  const hash = keyRefToHash(raw);
  if (hash !== null) return hash;
  throw new BadRequestError(`${name} must be a key (sk-...) or its hash`, name);
}

/** Micro-dollars to dollars for the wire (LiteLLM reports spend as a float in USD). */
export function dollars(micros: number): number {
  return micros / 1_000_000;
}
