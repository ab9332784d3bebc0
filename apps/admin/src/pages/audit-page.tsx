import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditRow } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Pagination } from '../components/pagination.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { actorLabel, changedKeys, toAuditEntry } from '../lib/audit.ts';
import { formatDate } from '../lib/format.ts';
import { prettyJson } from '../lib/pretty-json.ts';
import { asList, totalOf } from '../lib/lists.ts';

const PAGE = 50;

export function AuditPage() {
  const api = useApi();
  const [page, setPage] = useState(1);
  const [objectType, setObjectType] = useState('');
  const audit = useQuery({
    queryKey: ['audit', page, objectType],
    queryFn: async () => {
      const res = await api.get('/audit/list', { page, size: PAGE, object_type: objectType });
      return {
        rows: asList<AuditRow & Record<string, unknown>>(res, 'audit', 'logs', 'entries').map(toAuditEntry),
        total: totalOf(res),
        pages: (res as { total_pages?: number })?.total_pages,
      };
    },
    placeholderData: keepPreviousData,
  });
  const rows = audit.data?.rows ?? [];
  const pages =
    audit.data?.pages ??
    (audit.data?.total != null ? Math.ceil(audit.data.total / PAGE) : rows.length >= PAGE ? page + 1 : page);
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every admin change: who, what, when, before and after (secrets removed)."
      />
      <div className="toolbar">
        <div className="toolbar-field">
          <label htmlFor="audit-type">Object</label>
          <select
            id="audit-type"
            value={objectType}
            onChange={(e) => {
              setObjectType(e.target.value);
              setPage(1);
            }}
          >
            <option value="">Everything</option>
            <option value="key">Keys</option>
            <option value="team">Teams</option>
            <option value="user">Users</option>
            <option value="policy">Policies</option>
          </select>
        </div>
      </div>
      {audit.isLoading ? (
        <Loading label="Loading audit log…" />
      ) : audit.isError ? (
        <ErrorState error={audit.error} onRetry={() => audit.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="Nothing recorded yet">Changes made through the admin API appear here.</EmptyState>
      ) : (
        <ol className="timeline">
          {rows.map((r) => {
            const changed = changedKeys(r.before, r.after);
            return (
              <li key={r.id} className="card timeline-item">
                <div className="timeline-head">
                  <span className="badge">{r.action}</span>
                  <span>
                    {r.objectType}{' '}
                    <span className="mono small">
                      {r.objectId.length > 24 ? `${r.objectId.slice(0, 12)}…` : r.objectId}
                    </span>
                  </span>
                  <span className="muted small">
                    by {actorLabel(r.actor)} · <time dateTime={r.at ?? undefined}>{formatDate(r.at)}</time>
                  </span>
                </div>
                {changed.length ? <p className="small">Changed: {changed.join(', ')}</p> : null}
                {r.before != null || r.after != null ? (
                  <details>
                    <summary>Details</summary>
                    <div className="diff">
                      <div>
                        <h3>Before</h3>
                        <pre className="code-block">{r.before == null ? '—' : prettyJson(r.before)}</pre>
                      </div>
                      <div>
                        <h3>After</h3>
                        <pre className="code-block">{r.after == null ? '—' : prettyJson(r.after)}</pre>
                      </div>
                    </div>
                  </details>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      {pages > 1 ? (
        <Pagination
          page={page}
          totalPages={pages}
          total={audit.data?.total}
          onPage={setPage}
          label="Audit pages"
        />
      ) : null}
    </>
  );
}
