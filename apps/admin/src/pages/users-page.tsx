import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { ApiError } from '../api/client.ts';
import type { UserRecord } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { BudgetBar, ModelChips } from '../components/badges.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { Field } from '../components/field.tsx';
import { ModelPicker } from '../components/model-picker.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, ErrorState, FormError, Loading } from '../components/states.tsx';
import { useToast } from '../components/toast.tsx';
import { parseDollars } from '../lib/fields.ts';
import { asList, totalOf } from '../lib/lists.ts';
import { Pagination } from '../components/pagination.tsx';

const USERS_PAGE = 25;

const ROLES = [
  ['internal_user', 'Member'],
  ['internal_user_viewer', 'Viewer'],
  ['proxy_admin', 'Admin (can use this UI)'],
] as const;

interface UserFormValues {
  user_id: string;
  user_email: string;
  user_role: string;
  max_budget: string;
  models: string[];
}

function UserForm({
  initial,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  initial?: UserRecord;
  busy: boolean;
  error: unknown;
  onSubmit(body: Record<string, unknown>): void;
  onCancel(): void;
}) {
  const form = useForm<UserFormValues>({
    defaultValues: {
      user_id: initial?.user_id ?? '',
      user_email: initial?.user_email ?? '',
      user_role: initial?.user_role ?? 'internal_user',
      max_budget: initial?.max_budget == null ? '' : String(initial.max_budget),
      models: initial?.models ?? [],
    },
  });
  const { register, control, formState } = form;
  const apiParam = error instanceof ApiError ? error.param : null;
  const e = (f: keyof UserFormValues) =>
    (formState.errors[f]?.message as string | undefined) ??
    (apiParam === f ? (error as ApiError).message : undefined);
  const submit = form.handleSubmit((v) => {
    const budget = parseDollars(v.max_budget);
    if (!budget.ok) {
      form.setError('max_budget', { message: budget.message }, { shouldFocus: true });
      return;
    }
    if (v.user_email && !/^[^\s@]+@[^\s@]+$/.test(v.user_email.trim())) {
      form.setError('user_email', { message: 'Enter an email address' }, { shouldFocus: true });
      return;
    }
    const body: Record<string, unknown> = { user_role: v.user_role, models: v.models };
    if (v.user_id.trim()) body.user_id = v.user_id.trim();
    if (v.user_email.trim()) body.user_email = v.user_email.trim();
    if (budget.value !== undefined) body.max_budget = budget.value;
    onSubmit(body);
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={initial ? 'Edit user' : 'Create user'}>
      <div className="grid-3">
        <Field label="User id" error={e('user_id')} hint={initial ? undefined : 'Blank = generated.'}>
          {(a) => <input {...a} {...register('user_id')} disabled={!!initial} placeholder="alice" />}
        </Field>
        <Field label="Email" error={e('user_email')}>
          {(a) => <input {...a} {...register('user_email')} type="email" placeholder="alice@example.com" />}
        </Field>
        <Field label="Role" error={e('user_role')}>
          {(a) => (
            <select {...a} {...register('user_role')}>
              {ROLES.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Budget (USD)" error={e('max_budget')}>
          {(a) => <input {...a} {...register('max_budget')} inputMode="decimal" placeholder="No budget" />}
        </Field>
      </div>
      <Controller
        control={control}
        name="models"
        render={({ field }) => <ModelPicker value={field.value} onChange={field.onChange} />}
      />
      <FormError error={error && !apiParam ? error : null} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : initial ? 'Save user' : 'Create user'}
        </button>
      </div>
    </form>
  );
}

export function UsersPage() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState<UserRecord | 'new' | null>(null);
  const [deleting, setDeleting] = useState<UserRecord | null>(null);
  const [page, setPage] = useState(1);
  const users = useQuery({
    queryKey: ['users', page],
    queryFn: async () => {
      const res = await api.get('/user/list', { page, page_size: USERS_PAGE });
      return {
        rows: asList<UserRecord>(res, 'users'),
        total: totalOf(res),
        pages: (res as { total_pages?: number })?.total_pages ?? 1,
      };
    },
    placeholderData: keepPreviousData,
  });
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      editing && editing !== 'new'
        ? api.post('/user/update', { ...body, user_id: editing.user_id })
        : api.post('/user/new', body),
    onSuccess: () => {
      toast(editing === 'new' ? 'User created' : 'User saved');
      setEditing(null);
      qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.post('/user/delete', { user_ids: [id] }),
    onSuccess: () => {
      toast('User deleted');
      setDeleting(null);
      qc.invalidateQueries({ queryKey: ['users'] });
      qc.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const list = users.data?.rows ?? [];
  return (
    <>
      <PageHeader
        title="Users"
        subtitle="People with keys. Admins (proxy_admin) can sign in here with their own key."
        actions={
          editing === null ? (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => {
                save.reset();
                setEditing('new');
              }}
            >
              Create user
            </button>
          ) : null
        }
      />
      {editing !== null ? (
        <section className="card" aria-labelledby="user-form-title">
          <h2 id="user-form-title">{editing === 'new' ? 'New user' : `Edit ${editing.user_id}`}</h2>
          <UserForm
            key={editing === 'new' ? 'new' : editing.user_id}
            initial={editing === 'new' ? undefined : editing}
            busy={save.isPending}
            error={save.error}
            onSubmit={(b) => save.mutate(b)}
            onCancel={() => setEditing(null)}
          />
        </section>
      ) : null}
      {users.isLoading ? (
        <Loading label="Loading users…" />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => users.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState title="No users yet">
          A key's user_id needs no user record; create one to give a person a role or a budget.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table responsive-table">
            <caption className="sr-only">Users</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Models</th>
                <th scope="col">Spend / budget</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.user_id}>
                  <td data-label="User">
                    <strong>{u.user_id}</strong>
                    <div className="small muted">{u.user_email}</div>
                  </td>
                  <td data-label="Role">
                    <span className="badge">
                      {ROLES.find(([v]) => v === u.user_role)?.[1] ?? u.user_role ?? '—'}
                    </span>
                  </td>
                  <td data-label="Models">
                    <ModelChips models={u.models} />
                  </td>
                  <td data-label="Spend / budget">
                    <BudgetBar spend={u.spend} max={u.max_budget} />
                  </td>
                  <td data-label="Actions" className="row-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => {
                        save.reset();
                        setEditing(u);
                      }}
                      aria-label={`Edit ${u.user_id}`}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() => setDeleting(u)}
                      aria-label={`Delete ${u.user_id}`}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(users.data?.pages ?? 1) > 1 ? (
        <Pagination
          page={page}
          totalPages={users.data?.pages ?? 1}
          total={users.data?.total}
          onPage={setPage}
          label="User pages"
        />
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this user?"
        confirmLabel="Delete user and keys"
        danger
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.user_id)}
        onCancel={() => setDeleting(null)}
      >
        <p>
          Deleting <strong>{deleting?.user_id}</strong> also deletes that user's keys.
        </p>
        <FormError error={remove.error} />
      </ConfirmDialog>
    </>
  );
}
