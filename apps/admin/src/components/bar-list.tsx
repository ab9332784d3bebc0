import { formatInt, formatUsd } from '../lib/format.ts';
import type { SpendPoint } from '../lib/spend.ts';

/**
 * Ranked horizontal bars for categorical spend (key, team, model). Plain HTML: long names wrap,
 * screen readers read it as a list, and it costs no bytes of chart library.
 */
export function BarList({
  points,
  limit = 8,
  label,
}: {
  points: SpendPoint[];
  limit?: number;
  label: string;
}) {
  const top = points.slice(0, limit);
  const max = Math.max(...top.map((p) => p.spend), 0);
  const rest = points.slice(limit).reduce((s, p) => s + p.spend, 0);
  return (
    <ol className="bar-list" aria-label={label}>
      {top.map((p) => (
        <li key={p.id || p.label}>
          <div className="bar-row">
            <span className="bar-label" title={p.label}>
              {p.label}
            </span>
            <span className="bar-value">
              {formatUsd(p.spend)}
              {p.requests != null ? (
                <span className="muted small"> · {formatInt(p.requests)} req</span>
              ) : null}
            </span>
          </div>
          <span className="bar-track" aria-hidden="true">
            <span
              className="bar-fill"
              style={{ width: `${max > 0 ? Math.max(1, (p.spend / max) * 100) : 0}%` }}
            />
          </span>
        </li>
      ))}
      {rest > 0 ? (
        <li className="muted small">
          {points.length - limit} more: {formatUsd(rest)}
        </li>
      ) : null}
    </ol>
  );
}
