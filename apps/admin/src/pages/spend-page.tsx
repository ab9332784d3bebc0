import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useKeyNames, useTeamNames } from '../api/queries.ts';
import type { SpendLogRow } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { BarList } from '../components/bar-list.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Pagination } from '../components/pagination.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { TimeChart } from '../components/time-chart.tsx';
import { formatDate, formatDay, formatInt, formatUsd } from '../lib/format.ts';
import { asList, totalOf } from '../lib/lists.ts';
import { fillDays, type GroupBy, lastDays, normaliseReport } from '../lib/spend.ts';

const RANGES = [7, 30, 90] as const;
const LOG_PAGE = 25;

function useReport(groupBy: GroupBy, start: string, end: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['spend-report', groupBy, start, end],
    queryFn: async () =>
      normaliseReport(
        await api.get('/spend/report', { group_by: groupBy, start_date: start, end_date: end }),
        groupBy,
      ),
    placeholderData: keepPreviousData,
  });
}

function ReportCard({
  title,
  groupBy,
  start,
  end,
  names,
}: {
  title: string;
  groupBy: GroupBy;
  start: string;
  end: string;
  names?: Map<string, string>;
}) {
  const report = useReport(groupBy, start, end);
  const keyNames = useKeyNames(groupBy === 'key' ? (report.data ?? []).slice(0, 8).map((p) => p.id) : []);
  const lookup = groupBy === 'key' ? keyNames : names;
  const points = (report.data ?? []).map((p) => ({
    ...p,
    label: lookup?.get(p.id) ?? (groupBy === 'key' && p.id ? `${p.id.slice(0, 10)}…` : p.label),
  }));
  return (
    <section className="card" aria-labelledby={`by-${groupBy}`}>
      <h2 id={`by-${groupBy}`}>{title}</h2>
      {report.isLoading ? (
        <Loading />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => report.refetch()} />
      ) : points.length === 0 ? (
        <EmptyState title="No spend in this period" />
      ) : (
        <BarList points={points} label={title} />
      )}
    </section>
  );
}

export function SpendPage() {
  const api = useApi();
  const [days, setDays] = useState<(typeof RANGES)[number]>(30);
  const [logPage, setLogPage] = useState(1);
  const { start, end } = useMemo(() => lastDays(days), [days]);
  const teamNames = useTeamNames();
  const daily = useReport('day', start, end);
  const series = useMemo(() => fillDays(daily.data ?? [], start, end), [daily.data, start, end]);
  const total = series.reduce((s, p) => s + p.spend, 0);
  const requests = series.reduce((s, p) => s + (p.requests ?? 0), 0);

  const logs = useQuery({
    queryKey: ['spend-logs', start, end, logPage],
    queryFn: async () => {
      const res = await api.get('/spend/logs', {
        start_date: start,
        end_date: end,
        page: logPage,
        size: LOG_PAGE,
      });
      return {
        rows: asList<SpendLogRow>(res, 'logs', 'spend_logs'),
        total: totalOf(res),
        pages: (res as { total_pages?: number })?.total_pages,
      };
    },
    placeholderData: keepPreviousData,
  });
  const logRows = logs.data?.rows ?? [];
  const logKeyNames = useKeyNames(logRows.map((r) => r.api_key ?? ''));
  const logPages =
    logs.data?.pages ??
    (logs.data?.total != null
      ? Math.ceil(logs.data.total / LOG_PAGE)
      : logRows.length === LOG_PAGE
        ? logPage + 1
        : logPage);

  return (
    <>
      <PageHeader
        title="Spend"
        subtitle={`${formatDay(start)} – ${formatDay(end)} (UTC)`}
        actions={
          <fieldset className="segmented-small">
            <legend className="sr-only">Period</legend>
            {RANGES.map((r) => (
              <button
                key={r}
                type="button"
                className={`btn btn-small${days === r ? ' btn-selected' : ''}`}
                aria-pressed={days === r}
                onClick={() => {
                  setDays(r);
                  setLogPage(1);
                }}
              >
                {r} days
              </button>
            ))}
          </fieldset>
        }
      />
      <section className="card" aria-labelledby="over-time">
        <div className="section-head">
          <h2 id="over-time">Spend over time</h2>
          <div className="stats">
            <div>
              <span className="stat-value">{formatUsd(total)}</span>
              <span className="stat-label">total</span>
            </div>
            {requests ? (
              <div>
                <span className="stat-value">{formatInt(requests)}</span>
                <span className="stat-label">requests</span>
              </div>
            ) : null}
          </div>
        </div>
        {daily.isLoading ? (
          <Loading />
        ) : daily.isError ? (
          <ErrorState error={daily.error} onRetry={() => daily.refetch()} />
        ) : (
          <>
            <TimeChart points={series} />
            <details className="help">
              <summary>Show as table</summary>
              <table className="table compact">
                <caption className="sr-only">Spend per day</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Spend</th>
                  </tr>
                </thead>
                <tbody>
                  {series
                    .filter((p) => p.spend > 0)
                    .map((p) => (
                      <tr key={p.id}>
                        <td>{formatDay(p.id)}</td>
                        <td>{formatUsd(p.spend)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </details>
          </>
        )}
      </section>
      <div className="grid-cards">
        <ReportCard title="By key" groupBy="key" start={start} end={end} />
        <ReportCard title="By team" groupBy="team" start={start} end={end} names={teamNames} />
        <ReportCard title="By model" groupBy="model" start={start} end={end} />
      </div>
      <section className="card" aria-labelledby="logs-title">
        <h2 id="logs-title">Request log</h2>
        {logs.isLoading ? (
          <Loading />
        ) : logs.isError ? (
          <ErrorState error={logs.error} onRetry={() => logs.refetch()} />
        ) : logRows.length === 0 ? (
          <EmptyState title="No requests in this period" />
        ) : (
          <div className="table-wrap">
            <table className="table responsive-table compact">
              <caption className="sr-only">Spend log</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Key</th>
                  <th scope="col">Team</th>
                  <th scope="col">Model</th>
                  <th scope="col">Tokens</th>
                  <th scope="col">Cost</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {logRows.map((r, i) => (
                  <tr key={r.request_id ?? r.id ?? i}>
                    <td data-label="Time">{formatDate(r.startTime ?? r.start_time ?? r.created_at)}</td>
                    <td data-label="Key">
                      {r.api_key ? (
                        <Link to={`/keys/${encodeURIComponent(r.api_key)}`}>
                          {logKeyNames.get(r.api_key) ?? (
                            <span className="mono small">{r.api_key.slice(0, 10)}…</span>
                          )}
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td data-label="Team">{r.team_id ? (teamNames.get(r.team_id) ?? r.team_id) : '—'}</td>
                    <td data-label="Model">{r.model_group ?? r.model ?? '—'}</td>
                    <td data-label="Tokens">{formatInt(r.total_tokens)}</td>
                    <td data-label="Cost">{formatUsd(r.spend)}</td>
                    <td data-label="Status">{r.status ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {logPages > 1 ? (
          <Pagination
            page={logPage}
            totalPages={logPages}
            total={logs.data?.total}
            onPage={setLogPage}
            label="Log pages"
          />
        ) : null}
      </section>
    </>
  );
}
