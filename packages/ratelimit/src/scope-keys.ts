/** The Redis keys of one scope; redis-scripts.ts describes what each one holds. */
export interface ScopeKeys {
  readonly r: string;
  readonly t: string;
  readonly p: string;
  readonly b: string;
  readonly bz: string;
  readonly ba: string;
}

/** What a held ticket has in a scope, as sent to FINISH_LUA: a sum of these bits. */
export const HAS_WINDOW = 1;
export const HAS_SLOT = 2;
export const HAS_BUDGET = 4;

/**
 * Key names per scope id, built once instead of six template strings per scope on every admit and
 * again on every settle. Ids come from keys, teams, users and deployments, so the map stays small;
 * past `max` ids it simply starts over rather than tracking recency on the hot path.
 */
export class ScopeKeyCache {
  readonly #prefix: string;
  readonly #max: number;
  readonly #byId = new Map<string, ScopeKeys>();

  constructor(prefix: string, max = 50_000) {
    this.#prefix = prefix;
    this.#max = max;
  }

  get(scopeId: string): ScopeKeys {
    let keys = this.#byId.get(scopeId);
    if (keys === undefined) {
      if (this.#byId.size >= this.#max) this.#byId.clear();
      const base = `${this.#prefix}:${scopeId}`;
      keys = {
        r: `${base}:r`,
        t: `${base}:t`,
        p: `${base}:p`,
        b: `${base}:b`,
        bz: `${base}:bz`,
        ba: `${base}:ba`,
      };
      this.#byId.set(scopeId, keys);
    }
    return keys;
  }
}
