import { compileLogic } from './compile-logic.ts';
import { type CompiledPolicy, compilePolicy, type LogicCompiler } from './compile-policy.ts';
import { applyJsonLogic } from './reference.ts';
import {
  compileRequiredList,
  LIST_POLICY,
  requiredParamMessage,
  requiredParamRule,
  serviceAccountParamMessage,
} from './required-params.ts';
import type { CompiledRule, EvalState } from './rule.ts';
import { KEY_TYPES, type KeyType, type PolicyDocument } from './schema.ts';
import type { EvaluationResult, PolicyEngine, PolicyInput, PolicySettings, Violation } from './types.ts';

export interface PolicyEngineOptions {
  settings: PolicySettings;
  /** The config's `policies:`, in file order. */
  configPolicies: PolicyDocument[];
  /**
   * `compiled` (default) runs closures; `json-logic` runs every expression through jsonLogic.apply
   * instead. Only the differential test and the benchmark use the latter.
   */
  interpreter?: 'compiled' | 'json-logic';
  /** Bound of the cache of compiled per-key `enforced_params` lists (default 1000). */
  keyListCacheSize?: number;
}

const reference: LogicCompiler = (logic) => (data) => applyJsonLogic(logic, data);

/**
 * Builds the engine shared by the gateway's policy plugin and `POST /policy/test`.
 *
 * Order, first failure wins (SPEC 6): general enforced_params, service_account_settings (service
 * accounts only), the key's enforced_params, enforce_user_param, config policies in file order,
 * API policies in the order given. The lists bind every key type, admin included.
 *
 * @example
 * const engine = createPolicyEngine({ settings: { serviceAccountParams: ['user'] }, configPolicies: [] });
 * engine.evaluate({ request, key, route: '/chat/completions', method: 'POST', model: 'gpt-4o' });
 */
export function createPolicyEngine(opts: PolicyEngineOptions): PolicyEngine {
  const compile = opts.interpreter === 'json-logic' ? reference : compileLogic;
  const s = opts.settings;
  const general = compileRequiredList(LIST_POLICY.general, s.enforcedParams ?? [], requiredParamMessage);
  const serviceAccount = compileRequiredList(
    LIST_POLICY.serviceAccount,
    s.serviceAccountParams ?? [],
    serviceAccountParamMessage,
  );
  const enforceUser =
    s.enforceUserParam === true
      ? [requiredParamRule(LIST_POLICY.enforceUser, 'user', requiredParamMessage('user'))]
      : [];
  const configPolicies = opts.configPolicies.map((d) => compilePolicy(d, compile));
  let byType = indexByType(configPolicies);

  const cacheSize = opts.keyListCacheSize ?? 1000;
  const keyLists = new Map<string, CompiledRule[]>();
  const keyRules = (names: readonly string[]): CompiledRule[] => {
    // Keys share a handful of distinct lists; compile each once. FIFO eviction keeps it bounded.
    const id = names.join('\n');
    let rules = keyLists.get(id);
    if (rules === undefined) {
      rules = compileRequiredList(LIST_POLICY.key, names, requiredParamMessage);
      if (keyLists.size >= cacheSize) keyLists.delete(keyLists.keys().next().value!);
      keyLists.set(id, rules);
    }
    return rules;
  };

  return {
    setApiPolicies(docs) {
      // Compile everything before swapping, so a bad document leaves the previous set in force.
      const api = docs.map((d) => compilePolicy(d, compile));
      byType = indexByType([...configPolicies, ...api]);
    },

    evaluate(input: PolicyInput, evalOpts?: { collectAll?: boolean }): EvaluationResult {
      const all = evalOpts?.collectAll === true;
      const st: EvalState = {
        data: {
          request: input.request,
          key: input.key,
          route: input.route,
          method: input.method,
          model: input.model,
        },
        mutated: false,
        owned: null,
      };
      const out: Violation[] = [];
      const key = input.key;
      // Short-circuit chain: each step returns true to stop at the first failure.
      void (
        run(general, st, out, all) ||
        (key.type === 'service_account' && run(serviceAccount, st, out, all)) ||
        (key.enforced_params.length > 0 && run(keyRules(key.enforced_params), st, out, all)) ||
        run(enforceUser, st, out, all) ||
        runPolicies(byType[key.type] ?? [], input, st, out, all)
      );
      return { allow: out.length === 0, violations: out, request: st.data.request, mutated: st.mutated };
    },
  };
}

/** Runs rules in order; true means "stop here" (a violation and not collecting all). */
function run(rules: readonly CompiledRule[], st: EvalState, out: Violation[], all: boolean): boolean {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    let v: Violation | null;
    try {
      v = r.run(st);
    } catch {
      // A rule that throws refuses the request: a policy must never fail open.
      v = r.failure;
    }
    if (v !== null) {
      out.push(v);
      if (!all) return true;
    }
  }
  return false;
}

function runPolicies(
  policies: readonly CompiledPolicy[],
  input: PolicyInput,
  st: EvalState,
  out: Violation[],
  all: boolean,
): boolean {
  for (let i = 0; i < policies.length; i++) {
    const p = policies[i]!;
    if (p.applies(input) && run(p.rules, st, out, all)) return true;
  }
  return false;
}

/** Per key type, the enabled policies that can apply, keeping their order. */
function indexByType(policies: readonly CompiledPolicy[]): Record<KeyType, CompiledPolicy[]> {
  const index = {} as Record<KeyType, CompiledPolicy[]>;
  for (const t of KEY_TYPES)
    index[t] = policies.filter((p) => p.enabled && (p.keyTypes === null || p.keyTypes.has(t)));
  return index;
}
