import type { EvalState } from './rule.ts';
import { getOwn } from './paths.ts';

/**
 * Writes `request.<segs>` copy-on-write: the caller's body and every object on the path are
 * shallow-copied once per evaluation (the copies are remembered in `st.owned`), so the caller's
 * object is never touched and untouched branches are shared. Returns an error message when an
 * existing field on the way is not an object (we never overwrite a client's value silently).
 */
export function writeRequestPath(st: EvalState, segs: readonly string[], value: unknown): string | null {
  let cur: unknown = st.data.request;
  for (let i = 0; i < segs.length - 1; i++) {
    const next = getOwn(cur, segs[i]!);
    if (next === undefined || next === null) break;
    if (typeof next !== 'object' || Array.isArray(next))
      return `request.${segs.slice(0, i + 1).join('.')} is not an object`;
    cur = next;
  }
  if (st.owned === null) st.owned = new Set();
  const owned = st.owned;
  let obj = st.data.request;
  if (!owned.has(obj)) {
    obj = { ...obj };
    owned.add(obj);
    st.data.request = obj;
  }
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i]!;
    let next = getOwn(obj, s) as Record<string, unknown> | null | undefined;
    if (next === undefined || next === null) next = {};
    else if (!owned.has(next)) next = { ...next };
    owned.add(next);
    obj[s] = next;
    obj = next;
  }
  obj[segs[segs.length - 1]!] = value;
  st.mutated = true;
  return null;
}
