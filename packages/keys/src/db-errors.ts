/** True when a database error (possibly wrapped by drizzle in `cause`) is a unique violation. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const rec = e as {
      code?: unknown;
      constraint?: unknown;
      constraint_name?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (rec.code === '23505') {
      if (!constraint) return true;
      const name = rec.constraint_name ?? rec.constraint;
      return name === constraint || (typeof rec.message === 'string' && rec.message.includes(constraint));
    }
    e = rec.cause;
  }
  return false;
}
