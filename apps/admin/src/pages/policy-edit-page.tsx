import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import type { PolicyDocument } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { JsonEditor } from '../components/json-editor.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PolicyTryIt } from '../components/policy-try-it.tsx';
import { ErrorState, FormError, Loading } from '../components/states.tsx';
import { useToast } from '../components/toast.tsx';
import { checkPolicyDocument, POLICY_TEMPLATE } from '../lib/policy.ts';
import { prettyJson } from '../lib/pretty-json.ts';
import { updateBody } from '../lib/policy-api.ts';
import { usePolicies } from './policies-page.tsx';

export function PolicyEditPage() {
  const { policyId } = useParams();
  const isNew = !policyId;
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const policies = usePolicies();
  const existing = isNew ? undefined : policies.data?.find((p) => p.id === policyId);
  const [text, setText] = useState(() => (isNew ? prettyJson(POLICY_TEMPLATE) : ''));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const editorId = useId();

  useEffect(() => {
    if (existing) setText(prettyJson(existing.doc));
  }, [existing]);

  const check = checkPolicyDocument(text);
  const save = useMutation({
    mutationFn: (doc: PolicyDocument) =>
      existing
        ? api.post('/policy/update', updateBody(existing, doc))
        : api.post<Record<string, unknown>>('/policy/new', doc),
    onSuccess: async (res) => {
      toast(existing ? 'Policy saved' : 'Policy created');
      await qc.invalidateQueries({ queryKey: ['policies'] });
      if (isNew) {
        const r = (res ?? {}) as Record<string, unknown>;
        const id =
          r.id ??
          r.policy_id ??
          (r.policy as Record<string, unknown> | undefined)?.id ??
          (check.ok ? check.doc.name : '');
        navigate(`/policies/${encodeURIComponent(String(id))}`, { replace: true });
      }
    },
  });
  const remove = useMutation({
    mutationFn: () => api.post('/policy/delete', { id: existing?.id }),
    onSuccess: () => {
      toast('Policy deleted');
      qc.invalidateQueries({ queryKey: ['policies'] });
      navigate('/policies');
    },
  });

  if (!isNew && policies.isLoading) return <Loading label="Loading policy…" />;
  if (!isNew && policies.isError)
    return <ErrorState error={policies.error} onRetry={() => policies.refetch()} />;
  if (!isNew && !existing) return <ErrorState error={new Error('This policy does not exist (any more).')} />;

  const apiError = save.error instanceof ApiError ? save.error : save.error;
  const errorId = `${editorId}-error`;
  return (
    <>
      <PageHeader
        title={isNew ? 'Create policy' : existing?.name}
        subtitle="The policy document: which keys it selects and its rules (json-logic)."
        actions={
          <>
            <Link to="/policies" className="btn">
              All policies
            </Link>
            {existing ? (
              <button type="button" className="btn btn-danger" onClick={() => setConfirmDelete(true)}>
                Delete
              </button>
            ) : null}
          </>
        }
      />
      <div className="split">
        <form
          className="card form"
          noValidate
          aria-label="Policy document"
          onSubmit={(e) => {
            e.preventDefault();
            if (check.ok) save.mutate(check.doc);
          }}
        >
          <div className={`field${!check.ok || apiError ? ' field-invalid' : ''}`}>
            <label htmlFor={editorId}>Policy document (JSON)</label>
            <JsonEditor
              id={editorId}
              value={text}
              onChange={(t) => {
                setText(t);
                if (save.error) save.reset();
              }}
              rows={22}
              aria-invalid={!check.ok || !!apiError}
              aria-describedby={errorId}
            />
            <div id={errorId} aria-live="polite">
              {!check.ok ? (
                <div className="field-error">{check.message}</div>
              ) : apiError ? (
                <div className="field-error" role="alert">
                  <strong>The gateway refused this policy:</strong> {apiError.message}
                  {apiError instanceof ApiError && apiError.param ? (
                    <span className="mono"> ({apiError.param})</span>
                  ) : null}
                </div>
              ) : (
                <div className="field-hint">
                  Looks valid. The gateway checks operators and paths when you save.
                </div>
              )}
            </div>
          </div>
          <details className="help">
            <summary>Rule reference</summary>
            <ul>
              <li>
                <code>require</code>: json-logic that must be truthy, else the request is refused with{' '}
                <code>message</code> and <code>param</code> (status 400 unless <code>status</code> says
                otherwise).
              </li>
              <li>
                <code>when</code>: optional precondition. <code>set</code>:{' '}
                <code>{'{path, value, if_missing}'}</code> changes the request.
              </li>
              <li>
                <code>var</code> paths start at <code>request</code>, <code>key</code>, <code>route</code>,{' '}
                <code>method</code> or <code>model</code>.
              </li>
            </ul>
          </details>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={!check.ok || save.isPending}>
              {save.isPending ? 'Saving…' : isNew ? 'Create policy' : 'Save policy'}
            </button>
          </div>
        </form>
        <PolicyTryIt doc={existing?.doc ?? null} />
      </div>
      <ConfirmDialog
        open={confirmDelete}
        title="Delete this policy?"
        confirmLabel="Delete policy"
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          Requests stop being checked against <strong>{existing?.name}</strong> within a second.
        </p>
        <FormError error={remove.error} />
      </ConfirmDialog>
    </>
  );
}
