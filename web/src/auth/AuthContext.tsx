// Who is logged in: bootstraps the session from the stored refresh token, logs in and out.
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, unwrap } from '../api/client';
import type { Me } from '../api/types';
import {
  clearTokens, endSession, getRefreshToken, onGrantChanged, onSessionEnd, refreshRefusal, refreshTokens, setTokens, type ExpiryReason,
} from './session';

type Status = 'loading' | 'anonymous' | 'authenticated';

export interface AuthState {
  status: Status;
  me: Me | null;
  /** Why the last session ended, shown once on the login page. */
  endedBecause: ExpiryReason | null;
  login(email: string, password: string): Promise<Me>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

async function fetchMe(): Promise<Me> {
  return unwrap(api.GET('/api/v1/me'));
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>(() => (getRefreshToken() ? 'loading' : 'anonymous'));
  const [me, setMe] = useState<Me | null>(null);
  const [endedBecause, setEndedBecause] = useState<AuthState['endedBecause']>(null);

  useEffect(() => {
    return onSessionEnd((reason) => {
      queryClient.clear();
      setMe(null);
      setEndedBecause(reason);
      setStatus('anonymous');
    });
  }, [queryClient]);

  // The server revoked the token but a refresh was granted: read again who we are (the
  // organization may have changed) and refresh what the screens show.
  useEffect(() => {
    return onGrantChanged(() => {
      fetchMe().then((m) => {
        setMe(m);
        void queryClient.invalidateQueries();
      }, () => undefined);
    });
  }, [queryClient]);

  // A reload or a deep link in a tab with a session: trade the refresh token for a new pair.
  useEffect(() => {
    if (status !== 'loading') return;
    let cancelled = false;
    (async () => {
      const ok = await refreshTokens();
      if (!ok) {
        if (!cancelled) {
          // Refused (not just unreachable): say why on the sign-in page, e.g. signed out elsewhere.
          const why = refreshRefusal();
          if (why) setEndedBecause(why);
          setStatus('anonymous');
        }
        return;
      }
      try {
        const m = await fetchMe();
        if (!cancelled) {
          setMe(m);
          setStatus('authenticated');
        }
      } catch {
        if (!cancelled) setStatus('anonymous');
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [status]);

  const login = useCallback(async (email: string, password: string) => {
    const tokens = await unwrap(api.POST('/api/v1/auth/login', { body: { email, password } }));
    setTokens(tokens);
    const m = await fetchMe();
    queryClient.clear();
    setMe(m);
    setEndedBecause(null);
    setStatus('authenticated');
    return m;
  }, [queryClient]);

  const logout = useCallback(async () => {
    const refresh_token = getRefreshToken();
    if (refresh_token) {
      // Best effort: the session ends locally whatever the server says.
      await api.POST('/api/v1/auth/logout', { body: { refresh_token } }).catch(() => undefined);
    }
    clearTokens();
    endSession('logout');
  }, []);

  const value = useMemo<AuthState>(
    () => ({ status, me, endedBecause, login, logout }),
    [status, me, endedBecause, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The logged-in user; only for components rendered under RequireAuth. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}
