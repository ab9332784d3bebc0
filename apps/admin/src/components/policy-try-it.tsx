import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { PolicyDocument, PolicyTestResult } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { OWNER_LABELS } from '../lib/format.ts';
import { parseJsonObject } from '../lib/json.ts';
import { prettyJson } from '../lib/pretty-json.ts';
import { changedFields, KEY_TYPES, ruleOutcomes } from '../lib/policy.ts';
import { Field } from './field.tsx';
import { JsonEditor } from './json-editor.tsx';
import { FormError } from './states.tsx';

const SAMPLE = prettyJson({
  model: 'gpt-4o-mini',
  max_tokens: 512,
  messages: [{ role: 'user', content: 'Hello' }],
});

/**
 * Dry-run a sample request through `/policy/test`: every saved policy and the config's lists run,
 * nothing reaches an upstream. The rule list shows the outcome for the policy being edited.
 */
export function PolicyTryIt({ doc }: { doc: PolicyDocument | null }) {
  const api = useApi();
  const [keyType, setKeyType] = useState<string>(doc?.key_types?.[0] ?? 'service_account');
  const [rawKey, setRawKey] = useState('');
  const [sample, setSample] = useState(SAMPLE);
  const parsed = parseJsonObject(sample, { emptyIsEmptyObject: false });
  const test = useMutation({
    mutationFn: (request: Record<string, unknown>) =>
      api.post<PolicyTestResult>(
        '/policy/test',
        rawKey.trim() ? { key: rawKey.trim(), request } : { key_type: keyType, request },
      ),
  });
  const result = test.data;
  const outcomes = result && doc ? ruleOutcomes(doc, result) : [];
  const changed = result && parsed.ok ? changedFields(parsed.value, result.request) : [];

  return (
    <section className="card try-it" aria-labelledby="try-title">
      <h2 id="try-title">Try it</h2>
      <p className="muted small">
        Sends a sample request through every saved policy. Nothing is forwarded upstream.
      </p>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (parsed.ok) test.mutate(parsed.value);
        }}
      >
        <div className="grid-2">
          <Field label="As key type">
            {(a) => (
              <select
                {...a}
                value={keyType}
                onChange={(e) => setKeyType(e.target.value)}
                disabled={!!rawKey.trim()}
              >
                {KEY_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {OWNER_LABELS[t]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Or as a key (optional)" hint="A raw sk- key; sent only with this test.">
            {(a) => (
              <input
                {...a}
                type="password"
                autoComplete="off"
                value={rawKey}
                onChange={(e) => setRawKey(e.target.value)}
                placeholder="sk-…"
              />
            )}
          </Field>
        </div>
        <Field label="Sample request (JSON)" error={parsed.ok ? undefined : parsed.message}>
          {(a) => <JsonEditor {...a} value={sample} onChange={setSample} rows={8} />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={!parsed.ok || test.isPending}>
            {test.isPending ? 'Testing…' : 'Run test'}
          </button>
        </div>
      </form>
      <FormError error={test.error} />
      {result ? (
        <div className="try-result" aria-live="polite" data-testid="policy-test-result">
          <p className={`verdict ${result.allowed ? 'verdict-ok' : 'verdict-fail'}`}>
            {result.allowed ? '✓ Allowed' : '✕ Refused'}
          </p>
          {result.violations.length ? (
            <ul className="violations">
              {result.violations.map((v) => (
                <li key={`${v.policy}-${v.rule}-${v.message}`}>
                  <strong>{v.policy ?? 'config'}</strong>
                  {v.rule ? <span className="mono"> / {v.rule}</span> : null}: {v.message}
                  {v.param ? <span className="mono muted"> (param {v.param})</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
          {outcomes.length ? (
            <>
              <h3>Rules of this policy</h3>
              <ul className="outcomes">
                {outcomes.map((o) => (
                  <li key={o.id} className={`outcome outcome-${o.outcome}`}>
                    <span className="outcome-mark" aria-hidden="true">
                      {o.outcome === 'passed' ? '✓' : o.outcome === 'failed' ? '✕' : '✎'}
                    </span>
                    <span className="mono">{o.id}</span>
                    <span className="muted">{o.outcome === 'mutation' ? 'sets a value' : o.outcome}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h3>Request after mutations</h3>
          {changed.length ? (
            <p className="small">
              Changed:{' '}
              {changed.map((c) => (
                <code key={c}>{c} </code>
              ))}
            </p>
          ) : (
            <p className="small muted">Unchanged.</p>
          )}
          <pre className="code-block">{prettyJson(result.request)}</pre>
        </div>
      ) : null}
    </section>
  );
}
