/**
 * Dotted paths into the evaluation context: lookup, presence, and the load-time check that a path
 * can match at all. Lookups read OWN properties only, so a body such as `{"toString": ...}` or a
 * path such as `request.constructor` can never reach a prototype (a deliberate difference from
 * json-logic-js, which follows the prototype chain).
 */

/** Segments that would walk into prototypes; refused in every path. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Roots a top-level `var` path may start at (SPEC 6). */
export const CONTEXT_ROOTS = ['request', 'key', 'route', 'method', 'model'] as const;

/** One step of a lookup: an own property of an object, array or string; nothing else. */
export function getOwn(value: unknown, segment: string): unknown {
  if (value === null || value === undefined) return undefined;
  const t = typeof value;
  if (t === 'object')
    return Object.hasOwn(value as object, segment) ? (value as Record<string, unknown>)[segment] : undefined;
  if (t === 'string')
    return Object.hasOwn(Object(value), segment)
      ? (value as unknown as Record<string, unknown>)[segment]
      : undefined;
  return undefined;
}

/** json-logic `var` semantics (null/undefined midway or at the end → notFound), own properties only. */
export function lookup(data: unknown, segments: readonly string[], notFound: unknown): unknown {
  let cur = data;
  for (let i = 0; i < segments.length; i++) {
    if (cur === null || cur === undefined) return notFound;
    cur = getOwn(cur, segments[i]!);
    if (cur === undefined) return notFound;
  }
  return cur;
}

/**
 * LiteLLM's "present": every segment exists and the value is neither null nor an empty string.
 * `0`, `false`, `[]` and `{}` are present.
 */
export function isPresent(data: unknown, segments: readonly string[]): boolean {
  let cur = data;
  for (let i = 0; i < segments.length; i++) {
    if (cur === null || cur === undefined) return false;
    cur = getOwn(cur, segments[i]!);
  }
  return cur !== undefined && cur !== null && cur !== '';
}

/** Shape of the evaluation context, used only to refuse paths that can never match. */
type Shape = 'open' | 'leaf' | 'list' | { readonly [field: string]: Shape };

const KEY_SHAPE: Shape = {
  type: 'leaf',
  alias: 'leaf',
  team_id: 'leaf',
  user_id: 'leaf',
  metadata: 'open',
  models: 'list',
};

const CONTEXT_SHAPE: Record<string, Shape> = {
  request: 'open',
  key: KEY_SHAPE,
  route: 'leaf',
  method: 'leaf',
  model: 'leaf',
};

/** Problems common to every path: empty segments and prototype walks. */
export function checkSegments(path: string): string | null {
  const segments = path.split('.');
  for (const s of segments) {
    if (s === '') return `path "${path}" has an empty segment`;
    if (FORBIDDEN_SEGMENTS.has(s)) return `path "${path}" contains the forbidden segment "${s}"`;
  }
  return null;
}

/**
 * Checks a path evaluated against the top-level context. Returns an error message, or null when
 * the path can match.
 */
export function checkContextPath(path: string): string | null {
  if (path === '') return `the whole context is not a path: a path must start at ${CONTEXT_ROOTS.join(', ')}`;
  const bad = checkSegments(path);
  if (bad) return bad;
  const segments = path.split('.');
  const root = segments[0]!;
  let shape: Shape | undefined = Object.hasOwn(CONTEXT_SHAPE, root) ? CONTEXT_SHAPE[root] : undefined;
  if (shape === undefined) return `path "${path}" must start at ${CONTEXT_ROOTS.join(', ')}`;
  let walked = root;
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i]!;
    if (shape === 'open') return null;
    if (shape === 'leaf') return `path "${path}" cannot match: ${walked} is a single value`;
    if (shape === 'list') {
      if (!/^\d+$/.test(s)) return `path "${path}" cannot match: ${walked} is a list (use an index)`;
      shape = 'leaf';
    } else {
      const fields: { readonly [field: string]: Shape } = shape;
      if (!Object.hasOwn(fields, s)) {
        return `path "${path}" cannot match: ${walked} has no field "${s}" (fields: ${Object.keys(fields).join(', ')})`;
      }
      shape = fields[s]!;
    }
    walked += `.${s}`;
  }
  return null;
}

/** A path a rule may write to: inside `request`, at least one level down, never `request.model`. */
export function checkWritablePath(path: string): string | null {
  const bad = checkSegments(path);
  if (bad) return bad;
  const segments = path.split('.');
  if (segments[0] !== 'request' || segments.length < 2)
    return `path "${path}" must name a field inside request (request.<field>)`;
  // Routing and model access were decided on the model before policies run; a rewrite here would bypass them.
  if (segments.length === 2 && segments[1] === 'model')
    return 'path "request.model" cannot be changed by a policy';
  return null;
}
