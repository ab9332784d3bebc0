import type { KeyContext } from '@warden/core';
import { modelInList } from '@warden/keys';

/**
 * True when `key` may call `model` (its effective list is key ∩ team; empty = every model; `*`
 * globs). The gateway's `GET /models` filters the configured models with it.
 *
 * @example
 * const visible = modelNames.filter((m) => modelAllowed(ctx.key, m));
 */
export function modelAllowed(key: KeyContext, model: string): boolean {
  return modelInList(key.models, model);
}
