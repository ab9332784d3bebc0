const cache = new Map<string, RegExp>();

/** `*` matches any run of characters; everything else is literal. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`, 's');
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(value);
}

export function anyGlobMatch(patterns: readonly string[], value: string): boolean {
  return patterns.some((p) => globMatch(p, value));
}
