import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { ApiClient } from '../api/client';
import type { Me, Role } from '../api/types';

export interface Session {
  readonly api: ApiClient;
  readonly me: Me;
}

interface SessionState {
  readonly session: Session | undefined;
  signIn(apiKey: string): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/**
 * Holds the signed-in caller in React state only: the API key lives as long as the page,
 * and is never written to a URL, a cookie or storage.
 */
export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const [session, setSession] = useState<Session | undefined>();
  const value = useMemo<SessionState>(
    () => ({
      session,
      async signIn(apiKey) {
        const api = new ApiClient(apiKey.trim());
        const me = await api.get<Me>('/me');
        setSession({ api, me });
      },
      signOut: () => setSession(undefined),
    }),
    [session],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The signed-in caller; pages under the signed-in layout only. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('no session');
  return session;
}

export const rolesOf = (me: Me): readonly Role[] => (me.kind === 'admin' ? [] : me.roles);
export const enterpriseIdOf = (me: Me): string | undefined => (me.kind === 'admin' ? undefined : me.id);

/** Where a caller starts: its most specific role's main page. */
export function homeOf(me: Me): string {
  const roles = rolesOf(me);
  if (me.kind === 'admin') return '/admin';
  if (roles.includes('CORE')) return '/core';
  if (roles.includes('BANK')) return '/bank';
  if (roles.includes('SUPPLIER')) return '/supplier';
  return '/audit';
}
