import { useQuery } from '@tanstack/react-query';
import { useApi } from '../auth/auth-context.tsx';
import { asList } from '../lib/lists.ts';
import type { TeamRecord } from './types.ts';

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
