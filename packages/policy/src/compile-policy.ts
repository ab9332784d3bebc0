import { compileLogic, type Evaluator } from './compile-logic.ts';
import { compileGlobs, type StringMatcher } from './glob.ts';
import { writeRequestPath } from './mutate.ts';
import { truthy } from './operators.ts';
import { isPresent, lookup } from './paths.ts';
import { type CompiledRule, type EvalState, failureOf, violation } from './rule.ts';
import type { KeyType, PolicyDocument, PolicyRule } from './schema.ts';
import type { PolicyInput, Violation } from './types.ts';
import { type PolicyError, validatePolicy } from './validate.ts';

/** Turns a json-logic expression into an evaluator: compiled closures, or the reference interpreter. */
export type LogicCompiler = (logic: unknown) => Evaluator;

export interface CompiledPolicy {
  readonly name: string;
  readonly enabled: boolean;
  /** null = every key type. */
  readonly keyTypes: ReadonlySet<KeyType> | null;
  /** Team, model and route narrowing; true when the policy applies to this request. */
  applies(input: PolicyInput): boolean;
  readonly rules: readonly CompiledRule[];
}

export class PolicyValidationError extends Error {
  readonly errors: PolicyError[];
  constructor(name: string, errors: PolicyError[]) {
    super(`policy ${name} is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    this.name = 'PolicyValidationError';
    this.errors = errors;
  }
}

/** Strips `/v1` so `/v1/chat/completions` and `/chat/completions` select alike. */
export function normalizeRoute(route: string): string {
  return route.startsWith('/v1/') ? route.slice(3) : route;
}

/**
 * Validates (again: compiling an unchecked document must be impossible) and compiles one policy.
 * Everything that can be decided now is: selectors become sets and matchers, rules closures.
 */
export function compilePolicy(doc: PolicyDocument, compile: LogicCompiler = compileLogic): CompiledPolicy {
  const checked = validatePolicy(doc);
  if (!checked.ok)
    throw new PolicyValidationError(
      typeof (doc as { name?: unknown })?.name === 'string' ? doc.name : '(unnamed)',
      checked.errors,
    );
  const p = checked.policy;
  const teams = p.teams ? new Set(p.teams) : null;
  const models: StringMatcher | null = p.models ? compileGlobs(p.models) : null;
  const routes: StringMatcher | null = p.routes ? compileGlobs(p.routes.map(normalizeRoute)) : null;
  return {
    name: p.name,
    enabled: p.enabled !== false,
    keyTypes: p.key_types ? new Set(p.key_types) : null,
    applies(input) {
      if (teams !== null && (input.key.team_id === null || !teams.has(input.key.team_id))) return false;
      if (models !== null && !models(input.model)) return false;
      if (routes !== null && !routes(normalizeRoute(input.route))) return false;
      return true;
    },
    rules: p.rules.map((r) => compileRule(p.name, r, compile)),
  };
}

function compileRule(policy: string, r: PolicyRule, compile: LogicCompiler): CompiledRule {
  const when = r.when === undefined ? null : compile(r.when);
  const status = r.status ?? 400;
  const refusal = violation(
    policy,
    r.id,
    r.message ?? `Request refused by policy "${policy}" (rule "${r.id}")`,
    r.param ?? null,
    status,
  );
  const failure = failureOf(policy, r.id);
  const base = { policy, rule: r.id, failure };
  const skip = when === null ? null : (st: EvalState) => !truthy(when(st.data));

  if (r.require !== undefined || r.refuse !== undefined) {
    const test = compile(r.require !== undefined ? r.require : r.refuse);
    const refuseWhen = r.require === undefined;
    return {
      ...base,
      run: (st) => {
        if (skip?.(st)) return null;
        return truthy(test(st.data)) === refuseWhen ? refusal : null;
      },
    };
  }

  if (r.set) {
    const segs = r.set.path.split('.').slice(1);
    const param = r.param ?? segs.join('.');
    const ifMissing = r.set.if_missing === true;
    const expr = r.set.expr === undefined ? null : compile(r.set.expr);
    const literal = r.set.value;
    const blocked = (msg: string): Violation =>
      violation(policy, r.id, r.message ?? `cannot set ${r.set!.path}: ${msg}`, param, status);
    return {
      ...base,
      run: (st) => {
        if (skip?.(st)) return null;
        if (ifMissing && isPresent(st.data.request, segs)) return null;
        const value = fresh(expr === null ? literal : expr(st.data));
        if (typeof value !== 'object' && Object.is(lookup(st.data.request, segs, undefined), value))
          return null;
        const err = writeRequestPath(st, segs, value);
        return err === null ? null : blocked(err);
      },
    };
  }

  const clamp = r.clamp!;
  const segs = clamp.path.split('.').slice(1);
  const param = r.param ?? segs.join('.');
  const min = clamp.min ?? Number.NEGATIVE_INFINITY;
  const max = clamp.max ?? Number.POSITIVE_INFINITY;
  const notNumber = violation(policy, r.id, r.message ?? `${param} must be a number`, param, status);
  return {
    ...base,
    run: (st) => {
      if (skip?.(st)) return null;
      const v = lookup(st.data.request, segs, null);
      if (v === null) return null;
      if (typeof v !== 'number' || Number.isNaN(v)) return notNumber;
      const c = Math.min(max, Math.max(min, v));
      if (c === v) return null;
      const err = writeRequestPath(st, segs, c);
      return err === null ? null : violation(policy, r.id, `cannot set ${clamp.path}: ${err}`, param, status);
    },
  };
}

/** Objects written into a request are copied so that no two requests share (and mutate) one. */
function fresh(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
