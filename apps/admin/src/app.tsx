import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { FetchLike } from './api/client.ts';
import { AuthProvider, useAuth } from './auth/auth-context.tsx';
import { Layout } from './components/layout.tsx';
import { ToastProvider } from './components/toast.tsx';
import { KeysPage } from './pages/keys-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';

// Pages past the landing one load on first visit: the charting library, for one, only ships to
// people who open Spend.
const KeyCreatePage = lazy(() =>
  import('./pages/key-create-page.tsx').then((m) => ({ default: m.KeyCreatePage })),
);
const KeyDetailPage = lazy(() =>
  import('./pages/key-detail-page.tsx').then((m) => ({ default: m.KeyDetailPage })),
);
const TeamsPage = lazy(() => import('./pages/teams-page.tsx').then((m) => ({ default: m.TeamsPage })));
const TeamDetailPage = lazy(() =>
  import('./pages/team-detail-page.tsx').then((m) => ({ default: m.TeamDetailPage })),
);
const UsersPage = lazy(() => import('./pages/users-page.tsx').then((m) => ({ default: m.UsersPage })));
const PoliciesPage = lazy(() =>
  import('./pages/policies-page.tsx').then((m) => ({ default: m.PoliciesPage })),
);
const PolicyEditPage = lazy(() =>
  import('./pages/policy-edit-page.tsx').then((m) => ({ default: m.PolicyEditPage })),
);
const SpendPage = lazy(() => import('./pages/spend-page.tsx').then((m) => ({ default: m.SpendPage })));
const AuditPage = lazy(() => import('./pages/audit-page.tsx').then((m) => ({ default: m.AuditPage })));

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
