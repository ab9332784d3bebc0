import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import { useTeamNames } from '../api/queries.ts';
import type { GeneratedKey, KeyRecord } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { BudgetBar, Limits, ModelChips, OwnerBadge, StatusBadge } from '../components/badges.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { KeyFormFields } from '../components/key-form.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { RawKeyReveal } from '../components/raw-key-reveal.tsx';
import { ErrorState, FormError, Loading } from '../components/states.tsx';
import { useToast } from '../components/toast.tsx';
import { formatDate, keyStatus } from '../lib/format.ts';
import {
  buildUpdateKeyRequest,
  EMPTY_KEY_FORM,
  fieldForParam,
  type KeyFormValues,
  keyToFormValues,
} from '../lib/key-form.ts';

type Pending = 'delete' | 'regenerate' | null;

export function KeyDetailPage() {
  const { hash = '' } = useParams();
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const teamNames = useTeamNames();
  const [confirm, setConfirm] = useState<Pending>(null);
  const [regenerated, setRegenerated] = useState<string | null>(null);

  const info = useQuery({
    queryKey: ['key', hash],
    queryFn: async () => (await api.get<{ info: KeyRecord }>('/key/info', { key: hash })).info,
  });
  const key = info.data;

  const form = useForm<KeyFormValues>({ defaultValues: EMPTY_KEY_FORM });
  useEffect(() => {
    if (key) form.reset(keyToFormValues(key));
  }, [key, form]);

  const refresh = () => {
    qc.invalidateQueries({ queryKey: ['key', hash] });
    qc.invalidateQueries({ queryKey: ['keys'] });
  };

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post('/key/update', body),
    onSuccess: () => {
      toast('Key saved');
      refresh();
    },
    onError: (e) => {
      const field = e instanceof ApiError ? fieldForParam(e.param) : null;
      if (field) form.setError(field, { message: e.message }, { shouldFocus: true });
    },
  });
  const block = useMutation({
    mutationFn: (blocked: boolean) => api.post(blocked ? '/key/block' : '/key/unblock', { key: hash }),
    onSuccess: (_, blocked) => {
      toast(blocked ? 'Key blocked' : 'Key unblocked');
      refresh();
    },
    onError: (e) => toast(e.message, 'error'),
  });
  const regenerate = useMutation({
    mutationFn: () => api.post<GeneratedKey>('/key/regenerate', { key: hash }),
    onSuccess: (res) => {
      setConfirm(null);
      setRegenerated(res.key);
      qc.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const remove = useMutation({
    mutationFn: () => api.post('/key/delete', { keys: [hash] }),
    onSuccess: () => {
      toast('Key deleted');
      qc.invalidateQueries({ queryKey: ['keys'] });
      navigate('/keys');
    },
  });

  if (regenerated) {
    return (
      <>
        <PageHeader title="Key regenerated" subtitle="The old key stopped working." />
        <RawKeyReveal
          rawKey={regenerated}
          title="The new key"
          onDone={() => {
            setRegenerated(null);
            // The hash changed with the key; the old detail URL no longer exists.
            navigate('/keys');
          }}
        />
      </>
    );
  }
  if (info.isLoading) return <Loading label="Loading key…" />;
  if (info.isError || !key)
    return <ErrorState error={info.error ?? new Error('Key not found')} onRetry={() => info.refetch()} />;

  const status = keyStatus(key);
  const onSubmit = form.handleSubmit((values) => {
    form.clearErrors();
    const req = buildUpdateKeyRequest(key, values);
    if (!req.ok) {
      for (const [i, [f, message]] of (
        Object.entries(req.errors) as Array<[keyof KeyFormValues, string]>
      ).entries()) {
        form.setError(f, { message }, { shouldFocus: i === 0 });
      }
      return;
    }
    save.mutate(req.body);
  });

  return (
    <>
      <PageHeader
        title={key.key_alias || key.key_name || 'Key'}
        subtitle={<span className="mono">{key.key_name}</span>}
        actions={
          <>
            <Link to="/keys" className="btn">
              All keys
            </Link>
            <button
              type="button"
              className="btn"
              disabled={block.isPending}
              onClick={() => block.mutate(!key.blocked)}
            >
              {key.blocked ? 'Unblock' : 'Block'}
            </button>
            <button type="button" className="btn" onClick={() => setConfirm('regenerate')}>
              Regenerate
            </button>
            <button type="button" className="btn btn-danger" onClick={() => setConfirm('delete')}>
              Delete
            </button>
          </>
        }
      />
      <dl className="card summary">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={status} />
          </dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>
            <OwnerBadge type={key.owner_type} />{' '}
            {key.owner_type === 'service_account'
              ? String(key.metadata?.service_account_id ?? '')
              : (key.user_id ?? '')}
          </dd>
        </div>
        <div>
          <dt>Team</dt>
          <dd>
            {key.team_id ? (
              <Link to={`/teams/${encodeURIComponent(key.team_id)}`}>
                {teamNames.get(key.team_id) ?? key.team_id}
              </Link>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div>
          <dt>Spend</dt>
          <dd>
            <BudgetBar spend={key.spend} max={key.max_budget} />
            {key.budget_duration ? (
              <div className="small muted">resets every {key.budget_duration}</div>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Models</dt>
          <dd>
            <ModelChips models={key.models} />
          </dd>
        </div>
        <div>
          <dt>Limits</dt>
          <dd>
            <Limits rpm={key.rpm_limit} tpm={key.tpm_limit} parallel={key.max_parallel_requests} />
          </dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>{key.expires ? formatDate(key.expires) : 'Never'}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDate(key.created_at)}</dd>
        </div>
      </dl>

      <form className="card form" onSubmit={onSubmit} noValidate aria-label="Edit key">
        <KeyFormFields form={form} mode="edit" />
        <FormError
          error={
            save.error && !(save.error instanceof ApiError && fieldForParam(save.error.param))
              ? save.error
              : null
          }
        />
        <div className="form-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={save.isPending || !form.formState.isDirty}
          >
            {save.isPending ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </form>

      <ConfirmDialog
        open={confirm === 'delete'}
        title="Delete this key?"
        confirmLabel="Delete key"
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setConfirm(null)}
      >
        <p>
          <strong>{key.key_alias || key.key_name}</strong> stops working at once. This cannot be undone.
        </p>
        <FormError error={remove.error} />
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'regenerate'}
        title="Regenerate this key?"
        confirmLabel="Regenerate"
        busy={regenerate.isPending}
        onConfirm={() => regenerate.mutate()}
        onCancel={() => setConfirm(null)}
      >
        <p>The current key stops working and a new one is shown once. Settings, spend and budget stay.</p>
        <FormError error={regenerate.error} />
      </ConfirmDialog>
    </>
  );
}
