import { budgetRatio, formatUsd, type KeyStatus, OWNER_LABELS } from '../lib/format.ts';

export function StatusBadge({ status }: { status: KeyStatus }) {
  const label = status === 'active' ? 'Active' : status === 'blocked' ? 'Blocked' : 'Expired';
  return <span className={`badge badge-${status}`}>{label}</span>;
}

export function OwnerBadge({ type }: { type: string | null | undefined }) {
  const t = type ?? 'user';
  return <span className={`badge badge-owner badge-${t}`}>{OWNER_LABELS[t] ?? t}</span>;
}

export function ModelChips({ models }: { models: string[] | null | undefined }) {
  if (!models || models.length === 0) return <span className="muted">All models</span>;
  const shown = models.slice(0, 3);
  return (
    <span className="chips">
      {shown.map((m) => (
        <span key={m} className="chip">
          {m}
        </span>
      ))}
      {models.length > shown.length ? (
        <span className="chip chip-more">+{models.length - shown.length}</span>
      ) : null}
    </span>
  );
}

/** Spend against budget as text plus a bar; the text carries the meaning, the bar is decoration. */
export function BudgetBar({
  spend,
  max,
}: {
  spend: number | null | undefined;
  max: number | null | undefined;
}) {
  const ratio = budgetRatio(spend, max);
  return (
    <span className="budget">
      <span className="budget-text">
        {formatUsd(spend ?? 0)}
        <span className="muted"> / {max === null || max === undefined ? 'no budget' : formatUsd(max)}</span>
      </span>
      {ratio !== null ? (
        <span className="budget-track" aria-hidden="true">
          <span
            className={`budget-fill${ratio >= 1 ? ' over' : ratio >= 0.8 ? ' warn' : ''}`}
            style={{ width: `${Math.round(ratio * 100)}%` }}
          />
        </span>
      ) : null}
    </span>
  );
}

export function Limits({
  rpm,
  tpm,
  parallel,
}: {
  rpm?: number | null;
  tpm?: number | null;
  parallel?: number | null;
}) {
  const parts = [
    rpm != null ? `${rpm} rpm` : null,
    tpm != null ? `${tpm} tpm` : null,
    parallel != null ? `${parallel} parallel` : null,
  ].filter(Boolean);
  return parts.length ? <span>{parts.join(' · ')}</span> : <span className="muted">None</span>;
}
