import { anyGlobMatch } from './glob.ts';

/**
 * Stands for "no model at all": an empty list means "every model", so a key whose list does not
 * intersect its team's gets this single entry, which no model name (and no glob) matches.
 */
export const NO_MODELS = '\u0000no-models';

/**
 * Effective allow-list = key ∩ team (SPEC 4), with empty meaning unrestricted. Globs are kept when
 * the other side admits them: key [gpt-4*] ∩ team [gpt-4o, claude] = [gpt-4o].
 */
export function intersectModels(keyList: readonly string[], teamList: readonly string[]): string[] {
  const keyModels = unrestricted(keyList) ? [] : keyList;
  const teamModels = unrestricted(teamList) ? [] : teamList;
  if (keyModels.length === 0) return [...teamModels];
  if (teamModels.length === 0) return [...keyModels];
  const out = new Set<string>();
  for (const m of keyModels) if (anyGlobMatch(teamModels, m)) out.add(m);
  for (const m of teamModels) if (anyGlobMatch(keyModels, m)) out.add(m);
  return out.size === 0 ? [NO_MODELS] : [...out];
}

/** True when `model` is allowed by an effective list (empty = all, `*` globs). */
export function modelInList(models: readonly string[], model: string): boolean {
  return models.length === 0 || unrestricted(models) || anyGlobMatch(models, model);
}

/**
 * LiteLLM's special entries: `all-proxy-models` allows every model, `all-team-models` every model of
 * the key's team (which the intersection with the team's list then gives). Migrated keys carry them.
 */
const SPECIAL = new Set(['all-proxy-models', 'all-team-models']);

function unrestricted(models: readonly string[]): boolean {
  return models.some((m) => SPECIAL.has(m));
}
