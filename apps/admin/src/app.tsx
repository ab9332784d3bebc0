import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, useEffect, useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { FetchLike } from './api/client.ts';
import { AuthProvider, useAuth } from './auth/auth-context.tsx';
import { Layout } from './components/layout.tsx';
import { ToastProvider } from './components/toast.tsx';
import { KeysPage } from './pages/keys-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';

// Pages past the landing one are separate chunks (the charting library ships only with Spend).
// They are fetched in the background right after sign-in, so a click never waits on the network.
const loaders = {
  keyCreate: () => import('./pages/key-create-page.tsx'),
  keyDetail: () => import('./pages/key-detail-page.tsx'),
  teams: () => import('./pages/teams-page.tsx'),
  teamDetail: () => import('./pages/team-detail-page.tsx'),
  users: () => import('./pages/users-page.tsx'),
  policies: () => import('./pages/policies-page.tsx'),
  policyEdit: () => import('./pages/policy-edit-page.tsx'),
  spend: () => import('./pages/spend-page.tsx'),
  audit: () => import('./pages/audit-page.tsx'),
};
const KeyCreatePage = lazy(() => loaders.keyCreate().then((m) => ({ default: m.KeyCreatePage })));
const KeyDetailPage = lazy(() => loaders.keyDetail().then((m) => ({ default: m.KeyDetailPage })));
const TeamsPage = lazy(() => loaders.teams().then((m) => ({ default: m.TeamsPage })));
const TeamDetailPage = lazy(() => loaders.teamDetail().then((m) => ({ default: m.TeamDetailPage })));
const UsersPage = lazy(() => loaders.users().then((m) => ({ default: m.UsersPage })));
const PoliciesPage = lazy(() => loaders.policies().then((m) => ({ default: m.PoliciesPage })));
const PolicyEditPage = lazy(() => loaders.policyEdit().then((m) => ({ default: m.PolicyEditPage })));
const SpendPage = lazy(() => loaders.spend().then((m) => ({ default: m.SpendPage })));
const AuditPage = lazy(() => loaders.audit().then((m) => ({ default: m.AuditPage })));

function usePreloadPages(enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const t = setTimeout(() => {
      for (const load of Object.values(loaders)) load().catch(() => {});
    }, 300);
    return () => clearTimeout(t);
  }, [enabled]);
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // 4xx will not get better by asking again; only retry network trouble and 5xx, once.
        retry: (count, error) => {
          const status = (error as unknown as { status?: number }).status ?? 0;
          return count < 1 && (status === 0 || status >= 500);
        },
        refetchOnWindowFocus: false,
        staleTime: 5_000,
      },
    },
  });
}

function AppRoutes() {
  const { signedIn } = useAuth();
  usePreloadPages(signedIn);
  if (!signedIn) return <SignInPage />;
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/keys" replace />} />
        <Route path="keys" element={<KeysPage />} />
        <Route path="keys/new" element={<KeyCreatePage />} />
        <Route path="keys/:hash" element={<KeyDetailPage />} />
        <Route path="teams" element={<TeamsPage />} />
        <Route path="teams/:teamId" element={<TeamDetailPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="policies" element={<PoliciesPage />} />
        <Route path="policies/new" element={<PolicyEditPage key="new" />} />
        <Route path="policies/:policyId" element={<PolicyEditPage />} />
        <Route path="spend" element={<SpendPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="*" element={<Navigate to="/keys" replace />} />
      </Route>
    </Routes>
  );
}

/** The whole app minus the router, so tests can wrap it in a MemoryRouter and inject fetch. */
export function App({ fetchImpl, queryClient }: { fetchImpl?: FetchLike; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? makeQueryClient());
  return (
    <QueryClientProvider client={client}>
      <AuthProvider fetchImpl={fetchImpl}>
        <ToastProvider>
          <AppRoutes />
        </ToastProvider>
      </AuthProvider>
    </QueryClientProvider>
  );
}
