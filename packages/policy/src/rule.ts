import type { PolicyKeyInfo, Violation } from './types.ts';

/** What a rule sees: the context object (its `request` replaced after a mutation) and COW state. */
export interface EvalState {
  data: {
    request: Record<string, unknown>;
    key: PolicyKeyInfo;
    route: string;
    method: string;
    model: string;
  };
  mutated: boolean;
  /** Objects this evaluation created (copies), which may be written in place. */
  owned: Set<object> | null;
}

/** A rule compiled to one closure: returns a violation, or null to go on. */
export interface CompiledRule {
  readonly policy: string;
  readonly rule: string;
  /** Reported when `run` throws (fail closed). */
  readonly failure: Violation;
  run(st: EvalState): Violation | null;
}

export function violation(
  policy: string,
  rule: string,
  message: string,
  param: string | null,
  status: number,
): Violation {
  return Object.freeze({ policy, rule, message, param, status });
}

export function failureOf(policy: string, rule: string): Violation {
  return violation(
    policy,
    rule,
    `Request refused: policy "${policy}" rule "${rule}" could not be evaluated`,
    null,
    400,
  );
}
