import { describe, expect, it } from 'vitest';
import { applyJsonLogic, compileLogic, type PolicyDocument, validateLogic } from '../src/index.ts';
import { engineCases } from './cases.ts';
import { runCase } from './run-case.ts';

/**
 * The compiled closures must answer exactly like json-logic-js. Every table case runs through an
 * engine built on each interpreter; then every expression in the table, plus an operator corpus,
 * is evaluated both ways on the same data.
 */
describe('differential: compiled engine vs jsonLogic.apply engine', () => {
  it.each(engineCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(runCase(c, 'compiled')).toEqual(runCase(c, 'json-logic'));
    expect(runCase(c, 'compiled', true)).toEqual(runCase(c, 'json-logic', true));
  });
});

function expressionsOf(doc: PolicyDocument): unknown[] {
  return doc.rules.flatMap((r) => [r.when, r.require, r.refuse, r.set?.expr].filter((x) => x !== undefined));
}

describe('differential: every table expression', () => {
  const rows = engineCases.flatMap((c) => {
    const docs = [
      ...(c.policy === undefined ? [] : Array.isArray(c.policy) ? c.policy : [c.policy]),
      ...(c.apiPolicies ?? []),
    ];
    const data = {
      request: c.request,
      key: c.key,
      route: c.route ?? '/chat/completions',
      method: 'POST',
      model: c.model ?? 'gpt-4o',
    };
    return docs.flatMap(expressionsOf).map((logic, i) => [`${c.name} #${i}`, logic, data] as const);
  });
  it('has expressions to compare', () => expect(rows.length).toBeGreaterThan(30));
  it.each(rows)('%s', (_name, logic, data) => {
    expect(compileLogic(logic)(data)).toEqual(applyJsonLogic(logic, data));
  });
});

/** Operator corpus: the awkward corners of json-logic semantics, on several data shapes. */
const data = [
  {
    request: {
      n: 5,
      s: '5',
      f: 0.5,
      z: 0,
      e: '',
      nul: null,
      t: true,
      arr: [1, 2, 3],
      empty: [],
      str: 'hello world',
      o: { a: { b: { c: 'deep' } } },
      msgs: [
        { role: 'system', content: 'be nice' },
        { role: 'user', content: 'hi' },
      ],
    },
    key: {
      type: 'user',
      alias: null,
      team_id: null,
      user_id: 'u',
      metadata: { tier: 'gold' },
      models: ['gpt-4*'],
      enforced_params: [],
    },
    route: '/chat/completions',
    method: 'POST',
    model: 'gpt-4o',
  },
  {
    request: {},
    key: {
      type: 'admin',
      alias: null,
      team_id: null,
      user_id: null,
      metadata: {},
      models: [],
      enforced_params: [],
    },
    route: '/embeddings',
    method: 'POST',
    model: '',
  },
  {
    request: { n: '7', arr: 'not-an-array', o: null, msgs: [], str: 42 },
    key: {
      type: 'service_account',
      alias: 'sa',
      team_id: 't',
      user_id: null,
      metadata: { tier: null },
      models: [],
      enforced_params: [],
    },
    route: '/completions',
    method: 'POST',
    model: 'claude-3',
  },
];
const v = (p: string) => ({ var: p });
const corpus: unknown[] = [
  { '==': [v('request.n'), v('request.s')] },
  { '===': [v('request.n'), v('request.s')] },
  { '!=': [v('request.z'), v('request.e')] },
  { '!==': [v('request.nul'), v('request.missing')] },
  { '==': [v('request.nul'), v('request.missing')] },
  { '<': [1, v('request.n'), 10] },
  { '<=': [5, v('request.n'), 5] },
  { '>': [v('request.s'), 4] },
  { '>=': [v('request.f'), 0.5] },
  { '!': [v('request.empty')] },
  { '!!': v('request.arr') },
  { '%': [v('request.n'), 3] },
  { '+': [v('request.n'), v('request.s'), '1.5'] },
  { '+': [v('request.missing')] },
  { '*': [v('request.n'), 2, v('request.f')] },
  { '-': [v('request.n')] },
  { '-': [v('request.n'), 10] },
  { '/': [v('request.n'), 0] },
  { min: [v('request.n'), 3, 9] },
  { max: [v('request.n'), 3, v('request.s')] },
  { in: ['world', v('request.str')] },
  { in: [2, v('request.arr')] },
  { in: ['x', v('request.nul')] },
  { cat: ['a', v('request.n'), v('request.nul'), v('request.missing'), true] },
  { substr: [v('request.str'), 6] },
  { substr: [v('request.str'), 0, -6] },
  { substr: [v('request.str'), -5, 2] },
  { merge: [v('request.arr'), [4, 5], 6] },
  { var: ['request.missing', 'fallback'] },
  { var: ['request.nul', 'fallback'] },
  { var: ['request.o.a.b.c', { cat: ['x', 'y'] }] },
  { var: 'request.arr.1' },
  { var: 'request.str.length' },
  { var: 'key.models.0' },
  { missing: ['request.n', 'request.e', 'request.nul', 'request.missing', 'request.z'] },
  { missing: [['request.n', 'request.o.a']] },
  { missing_some: [1, ['request.n', 'request.missing']] },
  { missing_some: [2, ['request.n', 'request.missing', 'request.e']] },
  { if: [v('request.t'), 'yes', 'no'] },
  { if: [v('request.z'), 'a', v('request.e'), 'b', 'c'] },
  { if: [false, 1, false, 2] },
  { '?:': [v('request.n'), v('request.n'), 0] },
  { and: [v('request.n'), v('request.s'), v('request.z'), 'never'] },
  { and: [true, v('request.str')] },
  { or: [v('request.e'), v('request.z'), v('request.empty')] },
  { or: [v('request.nul'), v('request.o')] },
  { filter: [v('request.arr'), { '>': [v(''), 1] }] },
  { map: [v('request.arr'), { '*': [v(''), 2] }] },
  { map: [v('request.msgs'), v('role')] },
  { reduce: [v('request.arr'), { '+': [v('current'), v('accumulator')] }, 10] },
  { reduce: [v('request.arr'), { '+': [v('current'), v('accumulator')] }] },
  { all: [v('request.arr'), { '>': [v(''), 0] }] },
  { all: [v('request.empty'), true] },
  { none: [v('request.msgs'), { '==': [v('role'), 'tool'] }] },
  { some: [v('request.msgs'), { regex_match: [v('content'), '^be '] }] },
  { regex_match: [v('request.str'), 'WORLD', 'i'] },
  { regex_match: [v('request.n'), '5'] },
  { glob: [v('model'), 'gpt-4*'] },
  { glob: [v('model'), ['claude-*', '*-3']] },
  { glob: [v('route'), '/chat/*'] },
  { present: 'request.o.a.b.c' },
  { present: 'request.e' },
  { present: 'request.z' },
  { present: 'key.metadata.tier' },
  { '==': [v('key.type'), 'service_account'] },
  { in: [v('method'), ['POST', 'PUT']] },
];

describe('differential: operator corpus', () => {
  it('every corpus expression validates', () => {
    for (const logic of corpus) expect(validateLogic(logic), JSON.stringify(logic)).toEqual([]);
  });
  const rows = corpus.flatMap((logic) =>
    data.map((d, i) => [`${JSON.stringify(logic)} on data ${i}`, logic, d] as const),
  );
  it.each(rows)('%s', (_name, logic, d) => {
    let expected: unknown;
    let expectedError: unknown = null;
    try {
      expected = applyJsonLogic(logic, d);
    } catch (err) {
      expectedError = err;
    }
    if (expectedError) expect(() => compileLogic(logic)(d)).toThrow();
    else expect(compileLogic(logic)(d)).toEqual(expected);
  });
});
