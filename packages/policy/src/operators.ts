/**
 * The closed operator set (SPEC 6): json-logic's own operators minus `method` (calls functions on
 * data, i.e. lets a policy author run code) and `log` (writes to the console on the request path),
 * plus Warden's three: `regex_match`, `glob`, `present`. Anything else is refused at load time.
 */

/** Operators whose later arguments are evaluated with the array item (or accumulator) as data. */
export const SCOPED_OPERATORS: ReadonlySet<string> = new Set([
  'filter',
  'map',
  'reduce',
  'all',
  'none',
  'some',
]);

/** Warden's additions; registered into json-logic-js once for the reference interpreter. */
export const WARDEN_OPERATORS = ['regex_match', 'glob', 'present'] as const;

/** Allowed argument counts per operator (max undefined = unbounded). */
export const OPERATOR_ARITY: Readonly<Record<string, { min: number; max?: number }>> = {
  var: { min: 1, max: 2 },
  missing: { min: 1 },
  missing_some: { min: 2, max: 2 },
  if: { min: 1 },
  '?:': { min: 1 },
  and: { min: 1 },
  or: { min: 1 },
  '!': { min: 1, max: 1 },
  '!!': { min: 1, max: 1 },
  '==': { min: 2, max: 2 },
  '===': { min: 2, max: 2 },
  '!=': { min: 2, max: 2 },
  '!==': { min: 2, max: 2 },
  '>': { min: 2, max: 2 },
  '>=': { min: 2, max: 2 },
  '<': { min: 2, max: 3 },
  '<=': { min: 2, max: 3 },
  '%': { min: 2, max: 2 },
  '+': { min: 1 },
  '-': { min: 1, max: 2 },
  '*': { min: 1 },
  '/': { min: 2, max: 2 },
  min: { min: 1 },
  max: { min: 1 },
  in: { min: 2, max: 2 },
  cat: { min: 1 },
  substr: { min: 2, max: 3 },
  merge: { min: 1 },
  filter: { min: 2, max: 2 },
  map: { min: 2, max: 2 },
  reduce: { min: 2, max: 3 },
  all: { min: 2, max: 2 },
  none: { min: 2, max: 2 },
  some: { min: 2, max: 2 },
  regex_match: { min: 2, max: 3 },
  glob: { min: 2, max: 2 },
  present: { min: 1, max: 1 },
};

/** Operators refused with a specific reason (the rest of the unknown ones get a generic message). */
export const REFUSED_OPERATORS: Readonly<Record<string, string>> = {
  method: 'operator "method" is not allowed: it calls functions on data (a policy could run code)',
  log: 'operator "log" is not allowed: it writes to the console on the request path',
};

export function isAllowedOperator(op: string): boolean {
  return Object.hasOwn(OPERATOR_ARITY, op);
}

/** json-logic truthiness: like JS, except that an empty array is false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value) && value.length === 0) return false;
  return !!value;
}

type Impl = (...args: any[]) => unknown;

/**
 * Plain operators (arguments evaluated first), with json-logic-js 2.0.5's exact semantics so the
 * compiled evaluator answers like `jsonLogic.apply` (the differential test checks it).
 */
export const PLAIN_OPERATORS: Readonly<Record<string, Impl>> = {
  // biome-ignore lint/suspicious/noDoubleEquals: json-logic's == is JavaScript's loose equality
  '==': (a, b) => a == b,
  '===': (a, b) => a === b,
  // biome-ignore lint/suspicious/noDoubleEquals: json-logic's != is JavaScript's loose inequality
  '!=': (a, b) => a != b,
  '!==': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b, c) => (c === undefined ? a < b : a < b && b < c),
  '<=': (a, b, c) => (c === undefined ? a <= b : a <= b && b <= c),
  '!!': (a) => truthy(a),
  '!': (a) => !truthy(a),
  '%': (a, b) => a % b,
  in: (a, b) => {
    if (!b || typeof b.indexOf === 'undefined') return false;
    return b.indexOf(a) !== -1;
  },
  cat: (...args) => args.join(''),
  substr: (source, start, end) => {
    if (end < 0) {
      const temp = String(source).substr(start);
      return temp.substr(0, temp.length + end);
    }
    return String(source).substr(start, end);
  },
  '+': (...args) => args.reduce((a, b) => Number.parseFloat(a) + Number.parseFloat(b), 0),
  '*': (...args) => args.reduce((a, b) => Number.parseFloat(a) * Number.parseFloat(b)),
  '-': (a, b) => (b === undefined ? -a : a - b),
  '/': (a, b) => a / b,
  min: (...args) => Math.min(...args),
  max: (...args) => Math.max(...args),
  merge: (...args) => args.reduce((a: unknown[], b) => a.concat(b), []),
};
