/** `*` globs (model names, routes): `*` matches any run of characters, everything else is literal. */
export type StringMatcher = (value: string) => boolean;

export function compileGlob(pattern: string): StringMatcher {
  const star = pattern.indexOf('*');
  if (star === -1) return (v) => v === pattern;
  // The common shapes get a string test instead of a regex.
  if (star === pattern.length - 1) {
    const prefix = pattern.slice(0, -1);
    return (v) => v.startsWith(prefix);
  }
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`, 's');
  return (v) => re.test(v);
}

/** True when the value matches any of the patterns. */
export function compileGlobs(patterns: readonly string[]): StringMatcher {
  const matchers = patterns.map(compileGlob);
  if (matchers.length === 1) return matchers[0]!;
  return (v) => {
    for (const m of matchers) if (m(v)) return true;
    return false;
  };
}

const cache = new Map<string, StringMatcher>();

/** Memoised glob test for the json-logic reference interpreter (the compiled path precompiles). */
export function globTest(value: unknown, patterns: unknown): boolean {
  if (typeof value !== 'string') return false;
  const list = Array.isArray(patterns) ? patterns : [patterns];
  for (const p of list) {
    if (typeof p !== 'string') continue;
    let m = cache.get(p);
    if (m === undefined) {
      m = compileGlob(p);
      if (cache.size >= 1000) cache.clear();
      cache.set(p, m);
    }
    if (m(value)) return true;
  }
  return false;
}
