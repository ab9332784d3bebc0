import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { readJsonObject } from './body.ts';
import type { AdminDeps } from './types.ts';
import { parseInput } from './validation.ts';

/** A route's body in one step: bounded JSON object, then its schema (unknown fields logged, dropped). */
export async function readInput<S extends z.ZodObject>(
  ctx: { request: unknown; req: IncomingMessage },
  deps: Pick<AdminDeps, 'logger' | 'maxBodyBytes'>,
  schema: S,
  route: string,
): Promise<z.infer<S>> {
  return parseInput(schema, await readJsonObject(ctx, deps.maxBodyBytes), deps.logger, route);
}
