import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import type { GeneratedKey } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { KeyFormFields } from '../components/key-form.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { RawKeyReveal } from '../components/raw-key-reveal.tsx';
import { FormError } from '../components/states.tsx';
import { buildCreateKeyRequest, EMPTY_KEY_FORM, fieldForParam, type KeyFormValues } from '../lib/key-form.ts';

export function KeyCreatePage() {
  const api = useApi();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const form = useForm<KeyFormValues>({
    defaultValues: {
      ...EMPTY_KEY_FORM,
      team_id: params.get('team') ?? '',
      owner: (params.get('owner') as KeyFormValues['owner']) || 'service_account',
    },
  });
  const [created, setCreated] = useState<GeneratedKey | null>(null);

  const create = useMutation({
    mutationFn: (req: { path: string; body: Record<string, unknown> }) =>
      api.post<GeneratedKey>(req.path, req.body),
    onSuccess: (res) => {
      setCreated(res);
      qc.invalidateQueries({ queryKey: ['keys'] });
    },
    onError: (e) => {
      const field = e instanceof ApiError ? fieldForParam(e.param) : null;
      if (field) form.setError(field, { message: e.message }, { shouldFocus: true });
    },
  });

  const onSubmit = form.handleSubmit((values) => {
    form.clearErrors();
    const req = buildCreateKeyRequest(values);
    if (!req.ok) {
      const entries = Object.entries(req.errors) as Array<[keyof KeyFormValues, string]>;
      for (const [i, [f, message]] of entries.entries())
        form.setError(f, { message }, { shouldFocus: i === 0 });
      return;
    }
    create.mutate(req);
  });

  if (created) {
    return (
      <>
        <PageHeader title="Key created" subtitle={created.key_alias ?? created.key_name ?? undefined} />
        <RawKeyReveal
          rawKey={created.key}
          title="Your new key"
          onDone={() =>
            navigate(created.token_id ? `/keys/${encodeURIComponent(created.token_id)}` : '/keys')
          }
        />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Create key"
        actions={
          <Link to="/keys" className="btn">
            Cancel
          </Link>
        }
      />
      <form className="card form" onSubmit={onSubmit} noValidate aria-label="Create key">
        <KeyFormFields form={form} mode="create" />
        <FormError
          error={
            create.error && !(create.error instanceof ApiError && fieldForParam(create.error.param))
              ? create.error
              : null
          }
        />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </>
  );
}
