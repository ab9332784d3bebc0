import { describe, expect, it } from 'vitest';
import { createPolicyEngine, type PolicyKeyInfo, validatePolicy, validatePolicies } from '../src/index.ts';
import { engineCases, key, refusedCases, SA_USER } from './cases.ts';
import { runCase } from './run-case.ts';

describe('policy table', () => {
  it('has at least five cases per category', () => {
    const counts = new Map<string, number>();
    for (const c of engineCases) counts.set(c.category, (counts.get(c.category) ?? 0) + 1);
    for (const cat of [
      'key types',
      'nested paths',
      'null empty false 0',
      'mutations',
      'ordering',
      'litellm lists',
    ]) {
      expect(counts.get(cat) ?? 0, cat).toBeGreaterThanOrEqual(5);
    }
    expect(refusedCases.length).toBeGreaterThanOrEqual(5);
  });

  describe.each(engineCases.map((c) => [`${c.category}: ${c.name}`, c] as const))('%s', (_name, c) => {
    it('evaluates as expected and leaves the caller request untouched', () => {
      const before = structuredClone(c.request);
      const r = runCase(c, 'compiled');
      expect(r.allow).toBe(c.expected.allow);
      expect(r.violations.length).toBe(c.expected.allow ? 0 : 1);
      if (c.expected.violation) expect(r.violations[0]).toMatchObject(c.expected.violation);
      if (c.expected.request) expect(r.request).toEqual(c.expected.request);
      if (c.expected.mutated !== undefined) expect(r.mutated).toBe(c.expected.mutated);
      if (!r.mutated) expect(r.request).toBe(c.request);
      expect(c.request).toEqual(before);
    });
    if (c.expected.allRules) {
      it('collectAll reports every violation in order', () => {
        const r = runCase(c, 'compiled', true);
        expect(r.violations.map((v) => v.rule)).toEqual(c.expected.allRules);
      });
    }
  });
});

describe('refused policies', () => {
  it.each(refusedCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = validatePolicy(c.policy);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.errors.find((e) => e.path === c.expected.path);
    expect(hit, JSON.stringify(r.errors)).toBeDefined();
    if (typeof c.expected.message === 'string') expect(hit!.message).toBe(c.expected.message);
    else expect(hit!.message).toMatch(c.expected.message);
  });

  it('engine refuses to compile an invalid document (API set keeps the previous one)', () => {
    const engine = createPolicyEngine({ settings: {}, configPolicies: [] });
    engine.setApiPolicies([{ name: 'ok', rules: [{ id: 'r', require: false }] }]);
    const bad = { name: 'bad', rules: [{ id: 'r', require: { method: ['x', 'toString'] } }] };
    expect(() => engine.setApiPolicies([bad as never])).toThrow(/method/);
    const r = engine.evaluate({
      request: {},
      key: key('user'),
      route: '/chat/completions',
      method: 'POST',
      model: 'm',
    });
    expect(r.violations[0]?.policy).toBe('ok');
    expect(() => createPolicyEngine({ settings: {}, configPolicies: [bad as never] })).toThrow(
      /policy bad is invalid/,
    );
  });

  it('validatePolicies prefixes paths and refuses duplicate names', () => {
    const r = validatePolicies([
      { name: 'a', rules: [{ id: 'r', require: true }] },
      { name: 'a', rules: [{ id: 'r', require: { var: 'x' } }] },
      { name: 'b', rules: [{ id: 'r', require: true }] },
      { name: 'b', rules: [{ id: 'r', require: true }] },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { path: 'policies[1].rules[0].require.var', message: expect.stringContaining('rule "r"') },
      { path: 'policies[3].name', message: 'duplicate policy name "b"' },
    ]);
  });

  it('accepts the SPEC example and reports no errors', () => {
    const r = validatePolicy({
      name: 'cap-tokens',
      key_types: ['service_account'],
      teams: ['team-id'],
      models: ['gpt-4*'],
      routes: ['/chat/completions'],
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
    });
    expect(r).toMatchObject({ ok: true });
  });
});

describe('engine behaviour', () => {
  const sa = key('service_account');
  const input = (request: Record<string, unknown>, k: PolicyKeyInfo = sa) => ({
    request,
    key: k,
    route: '/chat/completions',
    method: 'POST',
    model: 'gpt-4o',
  });

  it('service-account user check answers exactly', () => {
    const engine = createPolicyEngine({ settings: { serviceAccountParams: ['user'] }, configPolicies: [] });
    expect(engine.evaluate(input({ model: 'gpt-4o' }))).toEqual({
      allow: false,
      violations: [
        {
          policy: 'general_settings.service_account_settings.enforced_params',
          rule: 'user',
          message: SA_USER,
          param: 'user',
          status: 400,
        },
      ],
      request: { model: 'gpt-4o' },
      mutated: false,
    });
  });

  it('compiles each per-key list once and keeps the cache bounded', () => {
    const engine = createPolicyEngine({ settings: {}, configPolicies: [], keyListCacheSize: 2 });
    for (let i = 0; i < 10; i++) {
      const k = key('user', { enforced_params: [`p${i}`] });
      expect(engine.evaluate(input({ [`p${i}`]: 1 }, k)).allow).toBe(true);
      expect(engine.evaluate(input({}, k)).violations[0]?.param).toBe(`p${i}`);
    }
  });

  it('a rule that throws at run time refuses (fails closed)', () => {
    // json-logic's `in` calls b.indexOf: a client can send an object whose indexOf is not a function.
    const engine = createPolicyEngine({
      settings: {},
      configPolicies: [
        { name: 'boom', rules: [{ id: 'r', refuse: { in: ['x', { var: 'request.tags' }] } }] },
      ],
    });
    expect(engine.evaluate(input({ tags: ['y'] })).allow).toBe(true);
    const r = engine.evaluate(input({ tags: { indexOf: 1 } }));
    expect(r.allow).toBe(false);
    expect(r.violations[0]).toMatchObject({ policy: 'boom', rule: 'r', status: 400 });
  });

  it('copy-on-write: untouched branches are shared, touched ones copied', () => {
    const engine = createPolicyEngine({
      settings: {},
      configPolicies: [
        {
          name: 'm',
          rules: [
            { id: 's', set: { path: 'request.metadata.source', value: 'gw' } },
            { id: 't', set: { path: 'request.metadata.other', value: 1 } },
          ],
        },
      ],
    });
    const messages = [{ role: 'user', content: 'x' }];
    const metadata = { project: 'p' };
    const request = { messages, metadata };
    const r = engine.evaluate(input(request));
    expect(r.mutated).toBe(true);
    expect(r.request).not.toBe(request);
    expect(r.request.messages).toBe(messages);
    expect(r.request.metadata).toEqual({ project: 'p', source: 'gw', other: 1 });
    expect(metadata).toEqual({ project: 'p' });
  });

  it('own properties only: a body cannot smuggle prototype members into a rule', () => {
    const engine = createPolicyEngine({
      settings: { enforcedParams: ['toString'] },
      configPolicies: [],
    });
    expect(engine.evaluate(input({})).allow).toBe(false);
    expect(engine.evaluate(input(JSON.parse('{"toString":"x"}'))).allow).toBe(true);
  });

  it('refuses bad list entries at construction', () => {
    expect(() =>
      createPolicyEngine({ settings: { enforcedParams: ['metadata..x'] }, configPolicies: [] }),
    ).toThrow(/empty segment/);
  });
});
