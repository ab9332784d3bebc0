import { BadRequestError, type Logger } from '@warden/core';
import { z } from 'zod';

/**
 * Parses a body with a strict schema for known fields. Unknown fields (LiteLLM fields Warden does
 * not implement) are dropped with one log line naming them, never their values (they may be keys).
 */
export function parseInput<S extends z.ZodObject>(
  schema: S,
  input: Record<string, unknown>,
  logger: Logger,
  route: string,
): z.infer<S> {
  const known = new Set(Object.keys(schema.shape));
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length > 0) logger.info('admin api: ignoring unknown fields', { route, fields: unknown });
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.length ? issue.path.map(String).join('.') : null;
    throw new BadRequestError(
      `Invalid request: ${param ?? 'body'}: ${issue?.message ?? 'invalid value'}`,
      param,
    );
  }
  return parsed.data;
}

const DURATION = /^\d+(s|m|h|d|mo)$/;

/** Dollars; kept as integer micro-dollars, which stay exact in a JS number below 2^53 (≈ $9e9). */
export const money = z
  .number()
  .finite()
  .nonnegative({ message: 'must be a non-negative number' })
  .max(1e9, { message: 'must be at most 1000000000' });
/** Limits are int4 columns: a larger value must be a 400 here, not a 500 from the database. */
export const limit = z
  .number()
  .int({ message: 'must be an integer' })
  .nonnegative({ message: 'must be non-negative' })
  .max(2_147_483_647, { message: 'must be at most 2147483647' });
export const duration = z.string().regex(DURATION, { message: 'must look like 30s, 30m, 30h, 30d or 1mo' });
export const stringList = z.array(z.string());
export const jsonObject = z.record(z.string(), z.unknown());
export const id = z.string().min(1, { message: 'must be a non-empty string' }).max(256);

/** Query strings: `page`/`size` and the like. */
export function queryInt(
  value: unknown,
  name: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) throw new BadRequestError(`${name} must be a positive integer`, name);
  return Math.min(n, max);
}

export function queryString(value: unknown): string | undefined {
  if (Array.isArray(value)) return value[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `30d` → milliseconds (months count as 30 days, as LiteLLM does for key durations). */
export function durationMs(value: string): number {
  const m = /^(\d+)(s|m|h|d|mo)$/.exec(value);
  if (!m) throw new BadRequestError(`invalid duration: ${value}`, 'duration');
  const n = Number(m[1]);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, mo: 30 * 86_400_000 }[m[2] as 's'];
  return n * unit;
}
