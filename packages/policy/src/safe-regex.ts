/**
 * Guard for the `regex_match` operator. Policies run on every request, so a pattern with
 * catastrophic backtracking would let one policy author stall the gateway. We refuse the classic
 * shapes at load time rather than trying to bound matching at run time:
 * - patterns longer than MAX_PATTERN_LENGTH,
 * - backreferences (`\1`, `\k<name>`),
 * - a repeated group (`(...)*`, `(...)+`, `(...){n,m}`) that contains a quantifier or an alternation
 *   (`(a+)+`, `(a|aa)*`): the nested-quantifier family behind most ReDoS reports,
 * - more than MAX_QUANTIFIERS quantifiers in total (bounds polynomial blow-ups like `a*a*a*a*b`),
 * - flags other than i, m, s, u.
 */
export const MAX_PATTERN_LENGTH = 256;
export const MAX_QUANTIFIERS = 8;
const ALLOWED_FLAGS = /^[imsu]*$/;

interface Frame {
  inner: boolean; // a quantifier or alternation somewhere inside
}

/** Returns why the pattern is refused, or null when it is safe to compile. */
export function checkRegex(pattern: string, flags = ''): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `regex is longer than ${MAX_PATTERN_LENGTH} characters`;
  if (!ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length)
    return `regex flags "${flags}" are not allowed (use i, m, s, u)`;
  if (/\\[1-9]|\\k</.test(pattern)) return 'regex backreferences are not allowed';
  try {
    new RegExp(pattern, flags);
  } catch (err) {
    return `invalid regex: ${(err as Error).message}`;
  }
  const stack: Frame[] = [{ inner: false }];
  let quantifiers = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // Skip the character class; quantifier characters inside it are literals.
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') {
        if (pattern[i] === '\\') i++;
        i++;
      }
      continue;
    }
    if (c === '(') {
      stack.push({ inner: false });
      if (pattern[i + 1] === '?') i++; // group modifiers (?: (?= (?! (?<...) are not quantifiers
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1]!.inner = true;
      continue;
    }
    if (c === ')') {
      const frame = stack.pop() ?? { inner: false };
      const q = quantifierAt(pattern, i + 1);
      if (q.repeats && frame.inner)
        return 'regex has a nested quantifier (a repeated group containing a quantifier or |)';
      const parent = stack[stack.length - 1];
      if (parent) parent.inner ||= frame.inner || q.length > 0;
      if (q.length > 0) {
        quantifiers++;
        i += q.length - 1 + (pattern[i + q.length + 1] === '?' ? 1 : 0);
      }
      continue;
    }
    const q = quantifierAt(pattern, i);
    if (q.length > 0) {
      quantifiers++;
      stack[stack.length - 1]!.inner = true;
      i += q.length - 1;
      if (pattern[i + 1] === '?') i++; // lazy modifier
    }
  }
  if (quantifiers > MAX_QUANTIFIERS) return `regex has more than ${MAX_QUANTIFIERS} quantifiers`;
  return null;
}

/** The quantifier starting at `i`, if any; `repeats` is false for `?` and `{0,1}`/`{1}`. */
function quantifierAt(pattern: string, i: number): { length: number; repeats: boolean } {
  const c = pattern[i];
  if (c === '*' || c === '+') return { length: 1, repeats: true };
  if (c === '?') return { length: 1, repeats: false };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (!m) return { length: 0, repeats: false };
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
    return { length: m[0].length, repeats: max > 1 };
  }
  return { length: 0, repeats: false };
}

const cache = new Map<string, RegExp>();

/** Compiles a pattern that passed checkRegex; memoised for the json-logic reference interpreter. */
export function safeRegex(pattern: string, flags = ''): RegExp {
  const id = `${flags}/${pattern}`;
  let re = cache.get(id);
  if (re === undefined) {
    const bad = checkRegex(pattern, flags);
    if (bad) throw new Error(bad);
    re = new RegExp(pattern, flags);
    if (cache.size >= 1000) cache.clear();
    cache.set(id, re);
  }
  return re;
}
