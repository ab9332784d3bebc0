import { compileGlobs } from './glob.ts';
import { PLAIN_OPERATORS, SCOPED_OPERATORS, truthy } from './operators.ts';
import { isPresent, lookup } from './paths.ts';
import { safeRegex } from './safe-regex.ts';

/** A compiled expression: data in, json-logic value out. */
export type Evaluator = (data: unknown) => unknown;

/**
 * Compiles a VALIDATED json-logic expression into nested closures, once. The request path then
 * calls closures only: no operator lookup, no argument arrays, no tree walking, paths pre-split,
 * regexes and globs pre-built. Semantics follow json-logic-js 2.0.5 (checked by the differential
 * test), except that data lookups read own properties only (see paths.ts).
 */
export function compileLogic(logic: unknown): Evaluator {
  return build(logic);
}

const constant =
  (value: unknown): Evaluator =>
  () =>
    value;

function isLogic(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && Object.keys(node).length === 1;
}

function isConstant(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(isConstant);
  return !isLogic(node);
}

function build(node: unknown): Evaluator {
  if (Array.isArray(node)) {
    // A literal list (`["a", "b"]` in `in`) is built once; json-logic would rebuild it per call.
    if (isConstant(node)) return constant(node);
    const items = node.map(build);
    return (d) => items.map((f) => f(d));
  }
  if (!isLogic(node)) return constant(node);
  const op = Object.keys(node)[0]!;
  const raw = node[op];
  const args: unknown[] = Array.isArray(raw) ? raw : [raw];
  switch (op) {
    case 'var':
      return buildVar(args);
    case 'present': {
      const segs = String(args[0]).split('.');
      return (d) => isPresent(d, segs);
    }
    case 'missing':
      return buildMissing(args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args);
    case 'missing_some': {
      const need = args[0] as number;
      const keys = args[1] as unknown[];
      const missing = buildMissing(keys);
      return (d) => {
        const m = missing(d) as unknown[];
        return keys.length - m.length >= need ? [] : m;
      };
    }
    case 'regex_match': {
      const subject = build(args[0]);
      const re = safeRegex(args[1] as string, (args[2] as string | undefined) ?? '');
      return (d) => {
        const s = subject(d);
        return typeof s === 'string' && re.test(s);
      };
    }
    case 'glob': {
      const subject = build(args[0]);
      const match = compileGlobs(Array.isArray(args[1]) ? (args[1] as string[]) : [args[1] as string]);
      return (d) => {
        const s = subject(d);
        return typeof s === 'string' && match(s);
      };
    }
    case 'if':
    case '?:':
      return buildIf(args.map(build));
    case 'and':
      return buildAndOr(args.map(build), false);
    case 'or':
      return buildAndOr(args.map(build), true);
  }
  if (SCOPED_OPERATORS.has(op)) return buildScoped(op, args);
  const impl = PLAIN_OPERATORS[op];
  if (impl === undefined)
    throw new Error(`unknown operator "${op}" (validate the policy before compiling it)`);
  const f = args.map(build);
  const [a, b, c] = f;
  // Hot comparisons inline; the rest call the shared implementation with a fixed arity.
  if (f.length === 2) {
    const fa = a!;
    const fb = b!;
    switch (op) {
      case '===':
        return (d) => fa(d) === fb(d);
      case '!==':
        return (d) => fa(d) !== fb(d);
      case '<':
        return (d) => (fa(d) as number) < (fb(d) as number);
      case '<=':
        return (d) => (fa(d) as number) <= (fb(d) as number);
      case '>':
        return (d) => (fa(d) as number) > (fb(d) as number);
      case '>=':
        return (d) => (fa(d) as number) >= (fb(d) as number);
    }
    return (d) => impl(fa(d), fb(d));
  }
  if (f.length === 1) {
    const fa = a!;
    if (op === '!!') return (d) => truthy(fa(d));
    if (op === '!') return (d) => !truthy(fa(d));
    return (d) => impl(fa(d));
  }
  if (f.length === 3) return (d) => impl(a!(d), b!(d), c!(d));
  return (d) => impl(...f.map((g) => g(d)));
}

function buildVar(args: unknown[]): Evaluator {
  const path = args[0];
  const def = args.length > 1 ? build(args[1]) : null;
  if (path === '' || path === null || path === undefined) return (d) => d;
  const segs = String(path).split('.');
  if (def === null) return (d) => lookup(d, segs, null);
  return (d) => {
    const fallback = def(d);
    return lookup(d, segs, fallback === undefined ? null : fallback);
  };
}

function buildMissing(keys: readonly unknown[]): Evaluator {
  const split = keys.map((k) => ({ key: k, segs: String(k).split('.') }));
  return (d) => {
    const out: unknown[] = [];
    for (const { key, segs } of split) {
      const v = lookup(d, segs, null);
      if (v === null || v === '') out.push(key);
    }
    return out;
  };
}

function buildIf(f: Evaluator[]): Evaluator {
  if (f.length === 3) {
    const [c, t, e] = f as [Evaluator, Evaluator, Evaluator];
    return (d) => (truthy(c(d)) ? t(d) : e(d));
  }
  return (d) => {
    let i = 0;
    for (; i < f.length - 1; i += 2) if (truthy(f[i]!(d))) return f[i + 1]!(d);
    if (f.length === i + 1) return f[i]!(d);
    return null;
  };
}

function buildAndOr(f: Evaluator[], isOr: boolean): Evaluator {
  return (d) => {
    let current: unknown;
    for (let i = 0; i < f.length; i++) {
      current = f[i]!(d);
      if (truthy(current) === isOr) return current;
    }
    return current;
  };
}

function buildScoped(op: string, args: unknown[]): Evaluator {
  const source = build(args[0]);
  const inner = build(args[1]);
  switch (op) {
    case 'filter':
      return (d) => {
        const items = source(d);
        return Array.isArray(items) ? items.filter((x) => truthy(inner(x))) : [];
      };
    case 'map':
      return (d) => {
        const items = source(d);
        return Array.isArray(items) ? items.map((x) => inner(x)) : [];
      };
    case 'reduce': {
      const initial = args[2] !== undefined ? build(args[2]) : constant(null);
      return (d) => {
        const items = source(d);
        const init = initial(d);
        if (!Array.isArray(items)) return init;
        return items.reduce((accumulator, current) => inner({ current, accumulator }), init);
      };
    }
    case 'all':
      return (d) => {
        const items = source(d);
        if (!Array.isArray(items) || items.length === 0) return false;
        for (const x of items) if (!truthy(inner(x))) return false;
        return true;
      };
    case 'none':
      return (d) => {
        const items = source(d);
        if (!Array.isArray(items) || items.length === 0) return true;
        for (const x of items) if (truthy(inner(x))) return false;
        return true;
      };
    default: // some
      return (d) => {
        const items = source(d);
        if (!Array.isArray(items) || items.length === 0) return false;
        for (const x of items) if (truthy(inner(x))) return true;
        return false;
      };
  }
}
