import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../api/types.ts';
import { changedFields, checkPolicyDocument, POLICY_TEMPLATE, ruleOutcomes } from './policy.ts';

const text = (doc: unknown) => JSON.stringify(doc);

describe('checkPolicyDocument', () => {
  it('accepts the template', () => {
    expect(checkPolicyDocument(text(POLICY_TEMPLATE)).ok).toBe(true);
  });

  it.each([
    ['invalid JSON', '{"name": }', /Invalid JSON/],
    ['no name', text({ rules: [{ id: 'a', set: {} }] }), /name is required/],
    ['no rules', text({ name: 'p', rules: [] }), /non-empty list/],
    [
      'unknown key type',
      text({ name: 'p', key_types: ['robot'], rules: [{ id: 'a', set: {} }] }),
      /unknown key type robot/,
    ],
    [
      'teams not strings',
      text({ name: 'p', teams: [1], rules: [{ id: 'a', set: {} }] }),
      /teams must be a list of strings/,
    ],
    ['rule without id', text({ name: 'p', rules: [{ set: {} }] }), /rules\[0\]\.id is required/],
    [
      'duplicate ids',
      text({
        name: 'p',
        rules: [
          { id: 'a', set: {} },
          { id: 'a', set: {} },
        ],
      }),
      /used twice/,
    ],
    ['rule that does nothing', text({ name: 'p', rules: [{ id: 'a' }] }), /needs "require" or "set"/],
    [
      'require without message',
      text({ name: 'p', rules: [{ id: 'a', require: true }] }),
      /needs a "message"/,
    ],
  ])('refuses %s', (_name, doc, message) => {
    const r = checkPolicyDocument(doc);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

const doc: PolicyDocument = {
  name: 'p',
  rules: [
    { id: 'first', require: true, message: 'm1' },
    { id: 'second', require: true, message: 'm2' },
    { id: 'third', require: true, message: 'm3' },
    { id: 'mut', set: { path: 'request.temperature', value: 0 } },
  ],
};

describe('ruleOutcomes', () => {
  it('all pass when allowed; set rules are mutations', () => {
    expect(ruleOutcomes(doc, { allowed: true, violations: [], request: {} }).map((o) => o.outcome)).toEqual([
      'passed',
      'passed',
      'passed',
      'mutation',
    ]);
  });

  it('marks every failing rule of this policy (the dry run collects them all)', () => {
    const r = ruleOutcomes(doc, {
      allowed: false,
      violations: [
        { policy: 'p', rule: 'second', message: 'm2', param: null },
        { policy: 'p', rule: 'third', message: 'm3', param: null },
      ],
      request: {},
    });
    expect(r.map((o) => o.outcome)).toEqual(['passed', 'failed', 'failed', 'mutation']);
    expect(r[1]?.message).toBe('m2');
  });

  it('ignores a same-named rule of another policy', () => {
    const r = ruleOutcomes(doc, {
      allowed: false,
      violations: [{ policy: 'other', rule: 'first', message: 'no' }],
      request: {},
    });
    expect(r.map((o) => o.outcome)).toEqual(['passed', 'passed', 'passed', 'mutation']);
  });
});

describe('changedFields', () => {
  it('lists top-level fields added or changed by mutations', () => {
    expect(changedFields({ a: 1, b: { c: 1 } }, { a: 1, b: { c: 2 }, temperature: 0.2 })).toEqual([
      'b',
      'temperature',
    ]);
    expect(changedFields(null, {})).toEqual([]);
  });
});
