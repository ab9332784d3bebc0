/**
 * Policy evaluation cost per request: the compiled closures against jsonLogic.apply, for 1, 10
 * and 100 rules. Both run through the same engine (selection, ordering, copy-on-write); only the
 * expression evaluator differs, so the ratio is the interpreter overhead the compiler removes.
 *
 *   npx tsx tools/bench/src/policy/policy-bench.ts [--iterations 20000]
 */
import { pathToFileURL } from 'node:url';
import {
  createPolicyEngine,
  type PolicyDocument,
  type PolicyEngine,
  type PolicyInput,
  type PolicyRule,
} from '@warden/policy';

export interface PolicyBenchRow {
  rules: number;
  iterations: number;
  compiledUs: number;
  jsonLogicUs: number;
  /** jsonLogicUs / compiledUs. */
  ratio: number;
}

const v = (path: string) => ({ var: path });

/** Ten realistic rule shapes, cycled; every one passes on the benchmark request (worst case: all run). */
const TEMPLATES: ((i: number) => Omit<PolicyRule, 'id'>)[] = [
  (i) => ({
    when: { '!!': [v('request.max_tokens')] },
    require: { '<=': [v('request.max_tokens'), 256 + i] },
  }),
  () => ({ require: { in: [v('key.type'), ['service_account', 'user']] } }),
  () => ({ require: { '!!': [v('request.metadata.project.cost_center')] } }),
  () => ({ require: { glob: [v('model'), ['gpt-4*', 'claude-*']] } }),
  () => ({ require: { regex_match: [v('request.user'), '^[a-z0-9-]{3,32}$'] } }),
  () => ({ require: { and: [{ '==': [v('method'), 'POST'] }, { '!': v('request.stream') }] } }),
  () => ({ require: { '<': [0, v('request.temperature'), 2] } }),
  () => ({ require: { present: 'request.user' } }),
  () => ({ refuse: { some: [v('request.messages'), { '==': [v('role'), 'tool'] }] } }),
  () => ({ refuse: { missing: ['request.model', 'request.messages'] } }),
];

export function benchPolicy(rules: number): PolicyDocument {
  return {
    name: `bench-${rules}`,
    key_types: ['service_account'],
    rules: Array.from({ length: rules }, (_, i) => ({ id: `r${i}`, ...TEMPLATES[i % TEMPLATES.length]!(i) })),
  };
}

export const benchInput: PolicyInput = {
  request: {
    model: 'gpt-4o',
    user: 'end-user-42',
    max_tokens: 200,
    temperature: 0.7,
    metadata: { project: { cost_center: 'cc-7' } },
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hello there' },
    ],
  },
  key: {
    type: 'service_account',
    alias: 'billing-prod',
    team_id: 'team-a',
    user_id: null,
    metadata: { service_account_id: 'billing-prod' },
    models: [],
    enforced_params: [],
  },
  route: '/chat/completions',
  method: 'POST',
  model: 'gpt-4o',
};

/** Best of three rounds, in µs per evaluate(). */
function measure(engine: PolicyEngine, iterations: number): number {
  const warm = Math.min(iterations, 2000);
  for (let i = 0; i < warm; i++) engine.evaluate(benchInput);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    let allowed = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) if (engine.evaluate(benchInput).allow) allowed++;
    const ns = Number(process.hrtime.bigint() - start);
    // Using the result keeps the loop from being optimised away and catches a broken setup.
    if (allowed !== iterations) throw new Error('benchmark request was refused');
    best = Math.min(best, ns / iterations / 1000);
  }
  return best;
}

export function runPolicyBench(opts: { iterations?: number; ruleCounts?: number[] } = {}): PolicyBenchRow[] {
  const base = opts.iterations ?? 20_000;
  return (opts.ruleCounts ?? [1, 10, 100]).map((rules) => {
    const doc = benchPolicy(rules);
    const compiled = createPolicyEngine({ settings: {}, configPolicies: [doc] });
    const reference = createPolicyEngine({ settings: {}, configPolicies: [doc], interpreter: 'json-logic' });
    // Fewer iterations for big sets keeps every row to a similar wall time.
    const iterations = Math.max(10, Math.round((base * 10) / Math.max(10, rules)));
    const compiledUs = measure(compiled, iterations);
    const jsonLogicUs = measure(reference, iterations);
    return { rules, iterations, compiledUs, jsonLogicUs, ratio: jsonLogicUs / compiledUs };
  });
}

export function formatPolicyBench(rows: readonly PolicyBenchRow[]): string {
  const header = ['rules', 'iterations', 'compiled µs/req', 'jsonLogic.apply µs/req', 'ratio'];
  const body = rows.map((r) => [
    String(r.rules),
    String(r.iterations),
    r.compiledUs.toFixed(3),
    r.jsonLogicUs.toFixed(3),
    `${r.ratio.toFixed(1)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function main(): void {
  const at = process.argv.indexOf('--iterations');
  const iterations = at > 0 ? Number(process.argv[at + 1]) : undefined;
  if (iterations !== undefined && !(iterations > 0)) throw new Error('--iterations needs a positive number');
  const rows = runPolicyBench({ iterations });
  console.log(`policy evaluation per request (node ${process.version}; best of 3 rounds)\n`);
  console.log(formatPolicyBench(rows));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
