import type { PolicyDocument, PolicyTestResult } from '../api/types.ts';
import { parseJsonObject } from './json.ts';

export const KEY_TYPES = ['user', 'service_account', 'team', 'admin'] as const;

export const POLICY_TEMPLATE: PolicyDocument = {
  name: 'cap-tokens',
  key_types: ['service_account'],
  rules: [
    {
      id: 'max-tokens',
      when: { '!!': [{ var: 'request.max_tokens' }] },
      require: { '<=': [{ var: 'request.max_tokens' }, 256] },
      message: 'max_tokens must be at most 256',
      param: 'max_tokens',
    },
    { id: 'default-temperature', set: { path: 'request.temperature', value: 0.2, if_missing: true } },
  ],
};

export type DocCheck = { ok: true; doc: PolicyDocument } | { ok: false; message: string; path?: string };

/**
 * Structural checks that need no server, so typos show while typing. The API remains the judge of
 * operators and `var` paths (SPEC section 6); its 400 names the rule and we show it beside the editor.
 */
export function checkPolicyDocument(text: string): DocCheck {
  const parsed = parseJsonObject(text, { emptyIsEmptyObject: false });
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const doc = parsed.value;
  if (typeof doc.name !== 'string' || !doc.name.trim()) {
    return { ok: false, message: 'name is required (a short identifier such as "cap-tokens")', path: 'name' };
  }
  for (const list of ['key_types', 'teams', 'models', 'routes'] as const) {
    const v = doc[list];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) {
      return { ok: false, message: `${list} must be a list of strings`, path: list };
    }
  }
  if (Array.isArray(doc.key_types)) {
    const bad = (doc.key_types as string[]).filter((t) => !(KEY_TYPES as readonly string[]).includes(t));
    if (bad.length) {
      return {
        ok: false,
        message: `unknown key type ${bad.join(', ')} (use ${KEY_TYPES.join(', ')})`,
        path: 'key_types',
      };
    }
  }
  if (!Array.isArray(doc.rules) || doc.rules.length === 0) {
    return { ok: false, message: 'rules must be a non-empty list', path: 'rules' };
  }
  const ids = new Set<string>();
  for (const [i, rule] of (doc.rules as unknown[]).entries()) {
    const at = `rules[${i}]`;
    if (!rule || typeof rule !== 'object' || Array.isArray(rule))
      return { ok: false, message: `${at} must be an object`, path: at };
    const r = rule as Record<string, unknown>;
    if (typeof r.id !== 'string' || !r.id)
      return { ok: false, message: `${at}.id is required`, path: `${at}.id` };
    if (ids.has(r.id)) return { ok: false, message: `${at}.id "${r.id}" is used twice`, path: `${at}.id` };
    ids.add(r.id);
    if (r.require === undefined && r.set === undefined) {
      return { ok: false, message: `rule ${r.id} needs "require" or "set"`, path: at };
    }
    if (r.require !== undefined && typeof r.message !== 'string') {
      return {
        ok: false,
        message: `rule ${r.id} needs a "message" to show when it refuses`,
        path: `${at}.message`,
      };
    }
  }
  return { ok: true, doc: doc as PolicyDocument };
}

export type RuleOutcome = 'passed' | 'failed' | 'mutation';

/**
 * What `/policy/test` says about each rule of one policy. The dry run collects every violation (a
 * real request stops at the first), so a rule not among the violations held for this sample.
 */
export function ruleOutcomes(
  doc: PolicyDocument,
  result: PolicyTestResult,
): Array<{ id: string; outcome: RuleOutcome; message?: string }> {
  return doc.rules.map((rule) => {
    const failed = result.violations.find((v) => v.rule === rule.id && (!v.policy || v.policy === doc.name));
    if (failed) return { id: rule.id, outcome: 'failed', message: failed.message };
    if (rule.require === undefined && rule.set !== undefined) return { id: rule.id, outcome: 'mutation' };
    return { id: rule.id, outcome: 'passed' };
  });
}

/** Top-level fields whose value differs between the sample and the request after mutations. */
export function changedFields(before: unknown, after: unknown): string[] {
  if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return [];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}
