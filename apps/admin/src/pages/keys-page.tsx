import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTeamNames, useTeams } from '../api/queries.ts';
import type { KeyListResponse, KeyRecord } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { BudgetBar, Limits, ModelChips, OwnerBadge, StatusBadge } from '../components/badges.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Pagination } from '../components/pagination.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { formatDate, keyStatus } from '../lib/format.ts';

const PAGE_SIZE = 20;

/** The key table; filters live in the URL (never the key itself) so they survive reloads and back. */
export function KeysPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const q = params.get('q') ?? '';
  const team = params.get('team') ?? '';
  const owner = params.get('owner') ?? '';
  const [search, setSearch] = useState(q);
  const teams = useTeams();
  const teamNames = useTeamNames();

  // Functional update: always applied to the URL as it is now, never to a stale copy.
  const update = (next: Record<string, string>) => {
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(next)) {
          if (v) p.set(k, v);
          else p.delete(k);
        }
        if (!('page' in next)) p.delete('page');
        return p;
      },
      { replace: true },
    );
  };

  // Typing is debounced in the handler (not in an effect on `search`), so a timer can never fire
  // after the filters were cleared or the page was left.
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stopTyping = () => {
    if (typing.current) clearTimeout(typing.current);
    typing.current = null;
  };
  useEffect(
    () => () => {
      if (typing.current) clearTimeout(typing.current);
    },
    [],
  );
  const onSearch = (value: string) => {
    setSearch(value);
    stopTyping();
    typing.current = setTimeout(() => update({ q: value.trim() }), 250);
  };
  // Back/forward changes the URL: show its query in the box.
  useEffect(() => {
    if (!typing.current) setSearch(q);
  }, [q]);

  const keys = useQuery({
    queryKey: ['keys', { page, q, team, owner }],
    queryFn: () =>
      api.get<KeyListResponse>('/key/list', {
        page,
        size: PAGE_SIZE,
        key_alias_contains: q,
        team_id: team,
        owner_type: owner,
        return_full_object: true,
      }),
    placeholderData: keepPreviousData,
  });

  const rows = (keys.data?.keys ?? []).filter((k): k is KeyRecord => typeof k === 'object');
  const filtered = !!(q || team || owner);

  return (
    <>
      <PageHeader
        title="Keys"
        subtitle="Virtual keys for people, teams and service accounts."
        actions={
          <Link to="/keys/new" className="btn btn-primary">
            Create key
          </Link>
        }
      />
      <search className="toolbar">
        <div className="toolbar-field grow">
          <label htmlFor="key-search">Search alias</label>
          <input
            id="key-search"
            type="search"
            value={search}
            placeholder="Part of an alias"
            onChange={(e) => onSearch(e.target.value)}
          />
        </div>
        <div className="toolbar-field">
          <label htmlFor="key-team">Team</label>
          <select id="key-team" value={team} onChange={(e) => update({ team: e.target.value })}>
            <option value="">All teams</option>
            {(teams.data ?? []).map((t) => (
              <option key={t.team_id} value={t.team_id}>
                {t.team_alias || t.team_id}
              </option>
            ))}
          </select>
        </div>
        <div className="toolbar-field">
          <label htmlFor="key-owner">Owner type</label>
          <select id="key-owner" value={owner} onChange={(e) => update({ owner: e.target.value })}>
            <option value="">All owners</option>
            <option value="user">Person</option>
            <option value="service_account">Service account</option>
            <option value="team">Team</option>
          </select>
        </div>
      </search>

      {keys.isLoading ? (
        <Loading label="Loading keys…" />
      ) : keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => keys.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={filtered ? 'No key matches these filters' : 'No keys yet'}>
          {filtered ? (
            <button
              type="button"
              className="btn"
              onClick={() => {
                stopTyping();
                setSearch('');
                setParams(new URLSearchParams(), { replace: true });
              }}
            >
              Clear filters
            </button>
          ) : (
            <Link to="/keys/new" className="btn btn-primary">
              Create the first key
            </Link>
          )}
        </EmptyState>
      ) : (
        <div className={`table-wrap${keys.isFetching ? ' is-fetching' : ''}`}>
          <table className="table responsive-table">
            <caption className="sr-only">Keys, page {page}</caption>
            <thead>
              <tr>
                <th scope="col">Alias</th>
                <th scope="col">Owner</th>
                <th scope="col">Team</th>
                <th scope="col">Models</th>
                <th scope="col">Spend / budget</th>
                <th scope="col">Limits</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((k) => (
                <tr key={k.token}>
                  <td data-label="Alias">
                    <Link to={`/keys/${encodeURIComponent(k.token)}`} className="row-link">
                      {k.key_alias || <span className="muted">(no alias)</span>}
                    </Link>
                    <div className="mono muted small">{k.key_name}</div>
                  </td>
                  <td data-label="Owner">
                    <OwnerBadge type={k.owner_type} />
                    <div className="small muted">
                      {k.owner_type === 'service_account'
                        ? String(k.metadata?.service_account_id ?? '')
                        : (k.user_id ?? '')}
                    </div>
                  </td>
                  <td data-label="Team">
                    {k.team_id ? (
                      <Link to={`/teams/${encodeURIComponent(k.team_id)}`}>
                        {teamNames.get(k.team_id) ?? k.team_id}
                      </Link>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td data-label="Models">
                    <ModelChips models={k.models} />
                  </td>
                  <td data-label="Spend / budget">
                    <BudgetBar spend={k.spend} max={k.max_budget} />
                  </td>
                  <td data-label="Limits">
                    <Limits rpm={k.rpm_limit} tpm={k.tpm_limit} parallel={k.max_parallel_requests} />
                  </td>
                  <td data-label="Expires">
                    {k.expires ? formatDate(k.expires) : <span className="muted">Never</span>}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={keyStatus(k)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {keys.data && keys.data.total_pages > 1 ? (
        <Pagination
          page={page}
          totalPages={keys.data.total_pages}
          total={keys.data.total_count}
          onPage={(p) => update({ page: String(p) })}
          label="Key pages"
        />
      ) : null}
    </>
  );
}
