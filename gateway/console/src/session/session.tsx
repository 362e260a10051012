import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiClient, ApiError } from '../api/client';
import type { SigningRequest } from '../api/offline-calls';
import { SelfHeldKey } from '../api/self-held-key';
import type { Me, Role } from '../api/types';

export interface Session {
  readonly api: ApiClient;
  readonly me: Me;
  /** Signed in with the user's own key: calls go through the offline flow, signed in this page. */
  readonly selfHeld: boolean;
}

interface SessionState {
  readonly session: Session | undefined;
  signIn(apiKey: string, keyFile?: File): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/**
 * Holds the signed-in caller in React state only: the API key (and a self-held user's key,
 * as a non-extractable CryptoKey) lives as long as the page, and is never written to a URL,
 * a cookie or storage.
 */
export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session | undefined>();
  const value = useMemo<SessionState>(() => {
    // The person sees the call and the result it commits to before its transaction is signed.
    const confirm = ({ transaction, args, result }: SigningRequest): Promise<boolean> =>
      Promise.resolve(
        window.confirm(
          t('selfHeld.confirm', { transaction, args: JSON.stringify(args), result: JSON.stringify(result) }),
        ),
      );
    return {
      session,
      async signIn(apiKey, keyFile) {
        const key = keyFile ? await SelfHeldKey.fromPem(await keyFile.text()) : undefined;
        const api = new ApiClient(apiKey.trim(), key && { key, confirm });
        const me = await api.get<Me>('/me').catch((error: unknown) => {
          if (error instanceof ApiError && error.code === 'KEY_SELF_HELD' && !key)
            throw new ApiError(
              403,
              'KEY_FILE_REQUIRED',
              'this user keeps its key itself: choose its key file and sign in again',
            );
          throw error;
        });
        setSession({ api, me, selfHeld: key !== undefined });
      },
      signOut: () => setSession(undefined),
    };
  }, [session, t]);
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
