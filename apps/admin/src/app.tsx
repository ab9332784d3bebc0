import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { FetchLike } from './api/client.ts';
import { AuthProvider, useAuth } from './auth/auth-context.tsx';
import { Layout } from './components/layout.tsx';
import { ToastProvider } from './components/toast.tsx';
import { AuditPage } from './pages/audit-page.tsx';
import { KeyCreatePage } from './pages/key-create-page.tsx';
import { KeyDetailPage } from './pages/key-detail-page.tsx';
import { KeysPage } from './pages/keys-page.tsx';
import { PoliciesPage } from './pages/policies-page.tsx';
import { PolicyEditPage } from './pages/policy-edit-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { SpendPage } from './pages/spend-page.tsx';
import { TeamDetailPage } from './pages/team-detail-page.tsx';
import { TeamsPage } from './pages/teams-page.tsx';
import { UsersPage } from './pages/users-page.tsx';

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
