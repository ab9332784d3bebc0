import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import type { KeyListResponse, KeyRecord, TeamRecord } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { BudgetBar, Limits, ModelChips, StatusBadge } from '../components/badges.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { Field } from '../components/field.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, ErrorState, FormError, Loading } from '../components/states.tsx';
import { TeamForm } from '../components/team-form.tsx';
import { useToast } from '../components/toast.tsx';
import { keyStatus } from '../lib/format.ts';

/** `/team/info` answers LiteLLM's `{team_id, team_info: {...}}`; accept a flat team too. */
function teamFrom(res: unknown): TeamRecord | null {
  if (!res || typeof res !== 'object') return null;
  const r = res as { team_info?: TeamRecord } & TeamRecord;
  return r.team_info ? { ...r.team_info, team_id: r.team_info.team_id ?? r.team_id } : r;
}

export function TeamDetailPage() {
  const { teamId = '' } = useParams();
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [member, setMember] = useState({ user_id: '', role: 'user' });

  const team = useQuery({
    queryKey: ['team', teamId],
    queryFn: async () => teamFrom(await api.get('/team/info', { team_id: teamId })),
  });
  const accounts = useQuery({
    queryKey: ['keys', { team: teamId, owner: 'service_account' }],
    queryFn: () =>
      api.get<KeyListResponse>('/key/list', {
        team_id: teamId,
        owner_type: 'service_account',
        return_full_object: true,
        page: 1,
        size: 100,
      }),
  });
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ['team', teamId] });
    qc.invalidateQueries({ queryKey: ['teams'] });
  };
  const update = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post('/team/update', { team_id: teamId, ...body }),
    onSuccess: () => {
      toast('Team saved');
      setEditing(false);
      refresh();
    },
  });
  const addMember = useMutation({
    mutationFn: () =>
      api.post('/team/member_add', {
        team_id: teamId,
        member: { user_id: member.user_id.trim(), role: member.role },
      }),
    onSuccess: () => {
      toast('Member added');
      setMember({ user_id: '', role: 'user' });
      refresh();
    },
  });
  const removeMember = useMutation({
    mutationFn: (user_id: string) => api.post('/team/member_delete', { team_id: teamId, user_id }),
    onSuccess: () => {
      toast('Member removed');
      refresh();
    },
    onError: (e) => toast(e.message, 'error'),
  });
  const remove = useMutation({
    mutationFn: () => api.post('/team/delete', { team_ids: [teamId] }),
    onSuccess: () => {
      toast('Team deleted');
      qc.invalidateQueries({ queryKey: ['teams'] });
      qc.invalidateQueries({ queryKey: ['keys'] });
      navigate('/teams');
    },
  });

  if (team.isLoading) return <Loading label="Loading team…" />;
  if (team.isError || !team.data)
    return <ErrorState error={team.error ?? new Error('Team not found')} onRetry={() => team.refetch()} />;
  const t = team.data;
  const sa = (accounts.data?.keys ?? []).filter((k): k is KeyRecord => typeof k === 'object');
  const updateErr = update.error instanceof ApiError ? update.error : null;

  return (
    <>
      <PageHeader
        title={t.team_alias || t.team_id}
        subtitle={<span className="mono">{t.team_id}</span>}
        actions={
          <>
            <Link to="/teams" className="btn">
              All teams
            </Link>
            <button type="button" className="btn" onClick={() => update.mutate({ blocked: !t.blocked })}>
              {t.blocked ? 'Unblock' : 'Block'}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => setEditing((e) => !e)}
              aria-expanded={editing}
            >
              Edit
            </button>
            <button type="button" className="btn btn-danger" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          </>
        }
      />
      {editing ? (
        <section className="card" aria-labelledby="edit-team">
          <h2 id="edit-team">Edit team</h2>
          <TeamForm
            initial={t}
            submitLabel="Save team"
            busy={update.isPending}
            serverError={updateErr}
            onSubmit={(b) => update.mutate(b)}
            onCancel={() => setEditing(false)}
          />
        </section>
      ) : (
        <dl className="card summary">
          <div>
            <dt>Spend</dt>
            <dd>
              <BudgetBar spend={t.spend} max={t.max_budget} />
            </dd>
          </div>
          <div>
            <dt>Models</dt>
            <dd>
              <ModelChips models={t.models} />
            </dd>
          </div>
          <div>
            <dt>Limits</dt>
            <dd>
              <Limits rpm={t.rpm_limit} tpm={t.tpm_limit} parallel={t.max_parallel_requests} />
            </dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              {t.blocked ? (
                <span className="badge badge-blocked">Blocked</span>
              ) : (
                <span className="badge badge-active">Active</span>
              )}
            </dd>
          </div>
        </dl>
      )}

      <section className="card" aria-labelledby="sa-title">
        <div className="section-head">
          <h2 id="sa-title">Service accounts</h2>
          <Link
            className="btn btn-small"
            to={`/keys/new?team=${encodeURIComponent(teamId)}&owner=service_account`}
          >
            New service account
          </Link>
        </div>
        {accounts.isLoading ? (
          <Loading />
        ) : accounts.isError ? (
          <ErrorState error={accounts.error} onRetry={() => accounts.refetch()} />
        ) : sa.length === 0 ? (
          <EmptyState title="No service accounts">
            Service-account keys belong to the team, not to a person.
          </EmptyState>
        ) : (
          <ul className="list">
            {sa.map((k) => (
              <li key={k.token}>
                <Link to={`/keys/${encodeURIComponent(k.token)}`}>{k.key_alias || k.key_name}</Link>
                <span className="mono small muted">{String(k.metadata?.service_account_id ?? '')}</span>
                <BudgetBar spend={k.spend} max={k.max_budget} />
                <StatusBadge status={keyStatus(k)} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {(t.members_with_roles ?? []).length === 0 ? (
          <p className="muted">No members yet.</p>
        ) : (
          <ul className="list">
            {(t.members_with_roles ?? []).map((m) => (
              <li key={`${m.user_id}-${m.role}`}>
                <span>{m.user_id ?? m.user_email}</span>
                <span className="badge">{m.role ?? 'user'}</span>
                {m.user_id ? (
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    aria-label={`Remove ${m.user_id}`}
                    onClick={() => removeMember.mutate(m.user_id as string)}
                  >
                    Remove
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (member.user_id.trim()) addMember.mutate();
          }}
        >
          <Field label="User id">
            {(a) => (
              <input
                {...a}
                value={member.user_id}
                onChange={(e) => setMember({ ...member, user_id: e.target.value })}
                placeholder="alice@example.com"
              />
            )}
          </Field>
          <Field label="Role">
            {(a) => (
              <select
                {...a}
                value={member.role}
                onChange={(e) => setMember({ ...member, role: e.target.value })}
              >
                <option value="user">Member</option>
                <option value="admin">Team admin</option>
              </select>
            )}
          </Field>
          <button type="submit" className="btn" disabled={addMember.isPending || !member.user_id.trim()}>
            Add member
          </button>
        </form>
        <FormError error={addMember.error} />
      </section>

      <ConfirmDialog
        open={confirmDelete}
        title="Delete this team?"
        confirmLabel="Delete team and its keys"
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          Deleting <strong>{t.team_alias || t.team_id}</strong> also deletes every key of the team, service
          accounts included. This cannot be undone.
        </p>
        <FormError error={remove.error} />
      </ConfirmDialog>
    </>
  );
}
