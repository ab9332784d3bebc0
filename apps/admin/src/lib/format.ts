const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const usdPrecise = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 6,
});
const integer = new Intl.NumberFormat('en-US');

/** Dollars (the admin API speaks dollars); small amounts keep their precision so $0.0004 is not "$0.00". */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value !== 0 && Math.abs(value) < 0.01) return usdPrecise.format(value);
  return usd.format(value);
}

export function formatInt(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return integer.format(value);
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDay(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** Share of a budget used, clamped to [0, 1]; null when there is no budget. */
export function budgetRatio(spend: number | null | undefined, max: number | null | undefined): number | null {
  if (max === null || max === undefined || max <= 0) return null;
  return Math.max(0, Math.min(1, (spend ?? 0) / max));
}

export type KeyStatus = 'active' | 'blocked' | 'expired';

export function keyStatus(
  key: { blocked?: boolean | null; expires?: string | null },
  now = Date.now(),
): KeyStatus {
  if (key.blocked) return 'blocked';
  if (key.expires && new Date(key.expires).getTime() <= now) return 'expired';
  return 'active';
}

export const OWNER_LABELS: Record<string, string> = {
  user: 'Person',
  service_account: 'Service account',
  team: 'Team',
  admin: 'Admin',
};
