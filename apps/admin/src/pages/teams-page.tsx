import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../api/client.ts';
import { useTeams } from '../api/queries.ts';
import { useApi } from '../auth/auth-context.tsx';
import { BudgetBar, Limits, ModelChips } from '../components/badges.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { TeamForm } from '../components/team-form.tsx';
import { useToast } from '../components/toast.tsx';

export function TeamsPage() {
  const teams = useTeams();
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<{ team_id: string }>('/team/new', body),
    onSuccess: (res) => {
      toast('Team created');
      qc.invalidateQueries({ queryKey: ['teams'] });
      setCreating(false);
      if (res?.team_id) navigate(`/teams/${encodeURIComponent(res.team_id)}`);
    },
  });
  const err =
    create.error instanceof ApiError
      ? create.error
      : create.error
        ? new ApiError(0, create.error.message)
        : null;

  return (
    <>
      <PageHeader
        title="Teams"
        subtitle="Teams own service accounts and share budgets and limits."
        actions={
          !creating ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              Create team
            </button>
          ) : null
        }
      />
      {creating ? (
        <section className="card" aria-labelledby="new-team">
          <h2 id="new-team">New team</h2>
          <TeamForm
            submitLabel="Create team"
            busy={create.isPending}
            serverError={err}
            onSubmit={(b) => create.mutate(b)}
            onCancel={() => setCreating(false)}
          />
        </section>
      ) : null}
      {teams.isLoading ? (
        <Loading label="Loading teams…" />
      ) : teams.isError ? (
        <ErrorState error={teams.error} onRetry={() => teams.refetch()} />
      ) : (teams.data ?? []).length === 0 ? (
        <EmptyState title="No teams yet">
          Create a team to give it service accounts and a shared budget.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table responsive-table">
            <caption className="sr-only">Teams</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Members</th>
                <th scope="col">Models</th>
                <th scope="col">Spend / budget</th>
                <th scope="col">Limits</th>
              </tr>
            </thead>
            <tbody>
              {(teams.data ?? []).map((t) => (
                <tr key={t.team_id}>
                  <td data-label="Team">
                    <Link className="row-link" to={`/teams/${encodeURIComponent(t.team_id)}`}>
                      {t.team_alias || t.team_id}
                    </Link>
                    <div className="mono small muted">{t.team_id}</div>
                    {t.blocked ? <span className="badge badge-blocked">Blocked</span> : null}
                  </td>
                  <td data-label="Members">{t.members_with_roles?.length ?? 0}</td>
                  <td data-label="Models">
                    <ModelChips models={t.models} />
                  </td>
                  <td data-label="Spend / budget">
                    <BudgetBar spend={t.spend} max={t.max_budget} />
                  </td>
                  <td data-label="Limits">
                    <Limits rpm={t.rpm_limit} tpm={t.tpm_limit} parallel={t.max_parallel_requests} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
