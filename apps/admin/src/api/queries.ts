import { useQueries, useQuery } from '@tanstack/react-query';
import { useApi } from '../auth/auth-context.tsx';
import { asList } from '../lib/lists.ts';
import type { KeyRecord, TeamRecord } from './types.ts';

/** The gateway's model names, from `/v1/models` (config only; never calls a provider). */
export function useModels() {
  const api = useApi();
  return useQuery({
    queryKey: ['models'],
    queryFn: async () => asList<{ id: string }>(await api.get('/v1/models'), 'data').map((m) => m.id),
    staleTime: 60_000,
  });
}

export function useTeams() {
  const api = useApi();
  return useQuery({
    queryKey: ['teams'],
    queryFn: async () => asList<TeamRecord>(await api.get('/team/list'), 'teams'),
    staleTime: 10_000,
  });
}

/** team_id → alias, for tables that only hold ids. */
export function useTeamNames(): Map<string, string> {
  const teams = useTeams();
  const map = new Map<string, string>();
  for (const t of teams.data ?? []) map.set(t.team_id, t.team_alias || t.team_id);
  return map;
}

/**
 * key hash → alias (or `sk-...abcd`) for the few keys a chart or a log page shows. Spend rows hold
 * only the hash; one `/key/info` per distinct key, cached, beats loading every key. Deleted keys
 * simply keep their short hash.
 */
export function useKeyNames(hashes: string[]): Map<string, string> {
  const api = useApi();
  const unique = [...new Set(hashes.filter(Boolean))].slice(0, 30);
  const results = useQueries({
    queries: unique.map((hash) => ({
      queryKey: ['key', hash],
      queryFn: async () => (await api.get<{ info: KeyRecord }>('/key/info', { key: hash })).info,
      staleTime: 60_000,
      retry: false,
    })),
  });
  const map = new Map<string, string>();
  unique.forEach((hash, i) => {
    const k = results[i]?.data;
    if (k) map.set(hash, k.key_alias || k.key_name || hash.slice(0, 10));
  });
  return map;
}
