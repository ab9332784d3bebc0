import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../auth/auth-context.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { formatDate, OWNER_LABELS } from '../lib/format.ts';
import { asList } from '../lib/lists.ts';
import { toStoredPolicy } from '../lib/policy-api.ts';

export function usePolicies() {
  const api = useApi();
  return useQuery({
    queryKey: ['policies'],
    queryFn: async () =>
      asList<Parameters<typeof toStoredPolicy>[0]>(await api.get('/policy/list'), 'policies').map(
        toStoredPolicy,
      ),
  });
}

export function PoliciesPage() {
  const policies = usePolicies();
  const list = policies.data ?? [];
  return (
    <>
      <PageHeader
        title="Policies"
        subtitle="Rules every request must satisfy, by key type. Policies from the config file apply first and are not listed here."
        actions={
          <Link to="/policies/new" className="btn btn-primary">
            Create policy
          </Link>
        }
      />
      {policies.isLoading ? (
        <Loading label="Loading policies…" />
      ) : policies.isError ? (
        <ErrorState error={policies.error} onRetry={() => policies.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState title="No policies yet">
          <Link to="/policies/new" className="btn btn-primary">
            Create the first policy
          </Link>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table responsive-table">
            <caption className="sr-only">Policies</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Applies to</th>
                <th scope="col">Rules</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <tr key={p.id}>
                  <td data-label="Name">
                    <Link className="row-link" to={`/policies/${encodeURIComponent(p.id)}`}>
                      {p.name}
                    </Link>
                    {typeof p.doc.description === 'string' ? (
                      <div className="small muted">{p.doc.description}</div>
                    ) : null}
                  </td>
                  <td data-label="Applies to">
                    {p.doc.key_types?.length ? (
                      <span className="chips">
                        {p.doc.key_types.map((t) => (
                          <span key={t} className="chip">
                            {OWNER_LABELS[t] ?? t}
                          </span>
                        ))}
                      </span>
                    ) : (
                      <span className="muted">Every key</span>
                    )}
                    {p.doc.teams?.length ? (
                      <div className="small muted">teams: {p.doc.teams.join(', ')}</div>
                    ) : null}
                    {p.doc.models?.length ? (
                      <div className="small muted">models: {p.doc.models.join(', ')}</div>
                    ) : null}
                  </td>
                  <td data-label="Rules">{p.doc.rules?.length ?? 0}</td>
                  <td data-label="Updated">{formatDate(p.updated_at ?? p.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
