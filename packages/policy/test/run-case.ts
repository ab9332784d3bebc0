import { createPolicyEngine, type EvaluationResult, type PolicyEngineOptions } from '../src/index.ts';
import type { EngineCase } from './cases.ts';

/** Builds the engine a case describes and evaluates its request. */
export function runCase(
  c: EngineCase,
  interpreter: PolicyEngineOptions['interpreter'],
  collectAll = false,
): EvaluationResult {
  const configPolicies = c.policy === undefined ? [] : Array.isArray(c.policy) ? c.policy : [c.policy];
  const engine = createPolicyEngine({ settings: c.settings ?? {}, configPolicies, interpreter });
  if (c.apiPolicies) engine.setApiPolicies(c.apiPolicies);
  return engine.evaluate(
    {
      request: c.request,
      key: c.key,
      route: c.route ?? '/chat/completions',
      method: 'POST',
      model: c.model ?? (typeof c.request.model === 'string' ? c.request.model : 'gpt-4o'),
    },
    { collectAll },
  );
}
