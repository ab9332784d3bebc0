import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { type ApiClient, type FetchLike, createApiClient } from '../api/client.ts';
import { clearStoredKey, readStoredKey, storeKey } from './session.ts';
import { checkAdminKey, type SignInResult } from './sign-in-check.ts';

interface AuthValue {
  signedIn: boolean;
  api: ApiClient;
  /** Check a key against the gateway before signing in with it. */
  checkKey(key: string): Promise<SignInResult>;
  signIn(key: string): void;
  signOut(reason?: string): void;
  /** Why the last session ended (e.g. the key stopped working), shown on the sign-in page. */
  signOutReason: string | null;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children, fetchImpl }: { children: ReactNode; fetchImpl?: FetchLike }) {
  const queryClient = useQueryClient();
  const [key, setKey] = useState<string | null>(() => readStoredKey());
  const [signOutReason, setReason] = useState<string | null>(null);

  const signOut = useCallback(
    (reason?: string) => {
      clearStoredKey();
      setKey(null);
      setReason(reason ?? null);
      // Nothing fetched with the old key may show for the next person.
      queryClient.clear();
    },
    [queryClient],
  );

  const signIn = useCallback((k: string) => {
    storeKey(k);
    setReason(null);
    setKey(k);
  }, []);

  const api = useMemo(
    () =>
      createApiClient({
        getKey: () => readStoredKey() ?? key,
        fetch: fetchImpl,
        onUnauthorized: () => signOut('Your key is no longer accepted. Sign in again.'),
      }),
    [key, fetchImpl, signOut],
  );

  const value = useMemo(
    () => ({
      signedIn: key !== null,
      api,
      checkKey: (k: string) => checkAdminKey(k, fetchImpl),
      signIn,
      signOut,
      signOutReason,
    }),
    [key, api, fetchImpl, signIn, signOut, signOutReason],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

export function useApi(): ApiClient {
  return useAuth().api;
}
