import type { z } from 'zod';
import { isAllowedOperator, OPERATOR_ARITY, REFUSED_OPERATORS, SCOPED_OPERATORS } from './operators.ts';
import { checkContextPath, checkSegments, checkWritablePath } from './paths.ts';
import { checkRegex } from './safe-regex.ts';
import { type PolicyDocument, policyDocumentSchema } from './schema.ts';

export interface PolicyError {
  /** Where in the document, e.g. `rules[1].require.and[0].var`. */
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; policy: PolicyDocument } | { ok: false; errors: PolicyError[] };

/**
 * What data a `var` sees: the context at the top; the array item inside filter/map/all/none/some;
 * `{current, accumulator}` inside reduce. Only the top level is checked against the context shape.
 */
type Scope = 'context' | 'item' | 'reduce';

/**
 * Validates a policy document: its shape (zod), then every rule's logic against the operator
 * allow-list and the `var` path rules. Every problem is reported with its path and rule id.
 */
export function validatePolicy(doc: unknown): ValidationResult {
  const parsed = policyDocumentSchema.safeParse(doc);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error) };
  const policy = parsed.data;
  const errors: PolicyError[] = [];
  const ids = new Set<string>();
  policy.rules.forEach((rule, i) => {
    const base = `rules[${i}]`;
    const err = (path: string, message: string) =>
      errors.push({ path, message: `rule "${rule.id}": ${message}` });
    if (ids.has(rule.id)) err(`${base}.id`, 'duplicate rule id');
    ids.add(rule.id);
    const actions = (['require', 'refuse', 'set', 'clamp'] as const).filter((a) => rule[a] !== undefined);
    if (actions.length !== 1) {
      err(
        base,
        `a rule needs exactly one of require, refuse, set, clamp (found ${actions.length === 0 ? 'none' : actions.join(', ')})`,
      );
    }
    if (rule.when !== undefined) checkLogic(rule.when, `${base}.when`, 'context', err);
    if (rule.require !== undefined) checkLogic(rule.require, `${base}.require`, 'context', err);
    if (rule.refuse !== undefined) checkLogic(rule.refuse, `${base}.refuse`, 'context', err);
    if (rule.set) {
      const bad = checkWritablePath(rule.set.path);
      if (bad) err(`${base}.set.path`, bad);
      const hasValue = Object.hasOwn(rule.set, 'value');
      if (hasValue === (rule.set.expr !== undefined))
        err(`${base}.set`, 'set needs exactly one of value, expr');
      if (hasValue && !isJson(rule.set.value)) err(`${base}.set.value`, 'value must be plain JSON');
      if (rule.set.expr !== undefined) checkLogic(rule.set.expr, `${base}.set.expr`, 'context', err);
    }
    if (rule.clamp) {
      const bad = checkWritablePath(rule.clamp.path);
      if (bad) err(`${base}.clamp.path`, bad);
      const { min, max } = rule.clamp;
      if (min === undefined && max === undefined) err(`${base}.clamp`, 'clamp needs min, max or both');
      if (min !== undefined && max !== undefined && min > max)
        err(`${base}.clamp`, 'clamp min is greater than max');
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, policy };
}

/** Validates a list (the config's `policies:`): paths are prefixed, duplicate names refused. */
export function validatePolicies(
  docs: unknown,
  basePath = 'policies',
): { ok: true; policies: PolicyDocument[] } | { ok: false; errors: PolicyError[] } {
  if (!Array.isArray(docs))
    return { ok: false, errors: [{ path: basePath, message: 'expected a list of policies' }] };
  const errors: PolicyError[] = [];
  const policies: PolicyDocument[] = [];
  const names = new Set<string>();
  docs.forEach((doc, i) => {
    const r = validatePolicy(doc);
    if (!r.ok) {
      for (const e of r.errors)
        errors.push({
          path: `${basePath}[${i}]${e.path.startsWith('[') || e.path === '' ? '' : '.'}${e.path}`,
          message: e.message,
        });
      return;
    }
    if (names.has(r.policy.name))
      errors.push({ path: `${basePath}[${i}].name`, message: `duplicate policy name "${r.policy.name}"` });
    names.add(r.policy.name);
    policies.push(r.policy);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, policies };
}

/** Validates one json-logic expression evaluated against the context. */
export function validateLogic(logic: unknown, path = ''): PolicyError[] {
  const errors: PolicyError[] = [];
  checkLogic(logic, path, 'context', (p, message) => errors.push({ path: p, message }));
  return errors;
}

type Report = (path: string, message: string) => void;

function checkLogic(node: unknown, path: string, scope: Scope, err: Report): void {
  if (node === null || typeof node === 'string' || typeof node === 'boolean') return;
  if (typeof node === 'number') {
    if (!Number.isFinite(node)) err(path, 'numbers must be finite');
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      checkLogic(item, `${path}[${i}]`, scope, err);
    });
    return;
  }
  if (typeof node !== 'object') {
    err(path, `unsupported value of type ${typeof node}`);
    return;
  }
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    err(path, `an object in a rule must have exactly one key, the operator (found ${keys.length})`);
    return;
  }
  const op = keys[0]!;
  const at = path === '' ? op : `${path}.${op}`;
  if (Object.hasOwn(REFUSED_OPERATORS, op)) {
    err(at, REFUSED_OPERATORS[op]!);
    return;
  }
  if (!isAllowedOperator(op)) {
    err(at, `unknown operator "${op}"`);
    return;
  }
  const raw = (node as Record<string, unknown>)[op];
  const args: unknown[] = Array.isArray(raw) ? raw : [raw];
  const arity = OPERATOR_ARITY[op]!;
  if (args.length < arity.min || (arity.max !== undefined && args.length > arity.max)) {
    const want =
      arity.max === undefined
        ? `at least ${arity.min}`
        : arity.min === arity.max
          ? `${arity.min}`
          : `${arity.min} to ${arity.max}`;
    err(at, `operator "${op}" takes ${want} argument(s), got ${args.length}`);
    return;
  }
  const argPath = (i: number) => (Array.isArray(raw) ? `${at}[${i}]` : at);
  switch (op) {
    case 'var': {
      checkPath(args[0], argPath(0), scope, err);
      if (args.length > 1) checkLogic(args[1], argPath(1), scope, err);
      return;
    }
    case 'present': {
      checkPath(args[0], argPath(0), scope, err);
      return;
    }
    case 'missing': {
      const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
      const base = args.length === 1 && Array.isArray(args[0]) ? argPath(0) : at;
      list.forEach((p, i) => {
        checkPath(p, list === args ? argPath(i) : `${base}[${i}]`, scope, err);
      });
      return;
    }
    case 'missing_some': {
      if (typeof args[0] !== 'number') err(argPath(0), 'missing_some needs a literal count');
      if (!Array.isArray(args[1])) {
        err(argPath(1), 'missing_some needs a literal list of paths');
        return;
      }
      args[1].forEach((p, i) => {
        checkPath(p, `${argPath(1)}[${i}]`, scope, err);
      });
      return;
    }
    case 'regex_match': {
      checkLogic(args[0], argPath(0), scope, err);
      const pattern = args[1];
      const flags = args[2] ?? '';
      if (typeof pattern !== 'string') {
        err(argPath(1), 'regex_match needs a literal pattern string');
        return;
      }
      if (typeof flags !== 'string') {
        err(argPath(2), 'regex_match flags must be a literal string');
        return;
      }
      const bad = checkRegex(pattern, flags);
      if (bad) err(argPath(1), bad);
      return;
    }
    case 'glob': {
      checkLogic(args[0], argPath(0), scope, err);
      const p = args[1];
      const ok =
        typeof p === 'string' || (Array.isArray(p) && p.length > 0 && p.every((x) => typeof x === 'string'));
      if (!ok) err(argPath(1), 'glob needs a literal pattern or a non-empty list of patterns');
      return;
    }
  }
  if (SCOPED_OPERATORS.has(op)) {
    checkLogic(args[0], argPath(0), scope, err);
    checkLogic(args[1], argPath(1), op === 'reduce' ? 'reduce' : 'item', err);
    if (args.length > 2) checkLogic(args[2], argPath(2), scope, err);
    return;
  }
  args.forEach((a, i) => {
    checkLogic(a, argPath(i), scope, err);
  });
}

/** A data path must be a literal, so it can be checked here and pre-split at compile time. */
function checkPath(p: unknown, path: string, scope: Scope, err: Report): void {
  if (scope === 'context') {
    if (typeof p !== 'string') {
      err(path, 'a path must be a literal string starting at request, key, route, method or model');
      return;
    }
    const bad = checkContextPath(p);
    if (bad) err(path, bad);
    return;
  }
  if (typeof p === 'number' && Number.isInteger(p) && p >= 0) return;
  if (typeof p !== 'string') {
    err(path, 'a path must be a literal string');
    return;
  }
  if (p === '') return; // the current item itself
  const bad = checkSegments(p);
  if (bad) {
    err(path, bad);
    return;
  }
  if (scope === 'reduce') {
    const root = p.split('.')[0];
    if (root !== 'current' && root !== 'accumulator')
      err(path, `path "${p}" inside reduce must start at current or accumulator`);
  }
}

function isJson(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.entries(value).every(
      ([k, v]) => !['__proto__', 'constructor', 'prototype'].includes(k) && isJson(v, depth + 1),
    );
  }
  return false;
}

function zodErrors(error: z.ZodError): PolicyError[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}
