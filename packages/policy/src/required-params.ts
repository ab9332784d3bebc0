import { checkSegments, isPresent } from './paths.ts';
import { type CompiledRule, failureOf, violation } from './rule.ts';

/** Names used as `policy` in violations coming from LiteLLM's lists. */
export const LIST_POLICY = {
  general: 'general_settings.enforced_params',
  serviceAccount: 'general_settings.service_account_settings.enforced_params',
  key: 'key.enforced_params',
  enforceUser: 'general_settings.enforce_user_param',
} as const;

/** LiteLLM's wording, kept byte for byte so existing clients' error handling still matches. */
export function requiredParamMessage(name: string): string {
  return `BadRequest please pass param=${name} in request body. This is a required param`;
}

export function serviceAccountParamMessage(name: string): string {
  return `${requiredParamMessage(name)} for service account`;
}

/** One required (dotted, any depth) request field as a compiled rule. */
export function requiredParamRule(policy: string, name: string, message: string): CompiledRule {
  const segs = name.split('.');
  const refusal = violation(policy, name, message, name, 400);
  return {
    policy,
    rule: name,
    failure: failureOf(policy, name),
    run: (st) => (isPresent(st.data.request, segs) ? null : refusal),
  };
}

/** Compiles one list; names come from config or key rows, so bad ones fail loudly here. */
export function compileRequiredList(
  policy: string,
  names: readonly string[],
  message: (name: string) => string,
): CompiledRule[] {
  return names.map((name) => {
    if (typeof name !== 'string') throw new TypeError(`${policy}: every entry must be a string`);
    const bad = checkSegments(name);
    if (bad) throw new TypeError(`${policy}: ${bad}`);
    return requiredParamRule(policy, name, message(name));
  });
}
