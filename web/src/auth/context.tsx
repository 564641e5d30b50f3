import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, setUnauthenticatedHandler } from '../api/client.ts';
import { authApi, type Principal, type Role } from '../api/management.ts';
import { ErrorBox, Spinner } from '../components/States.tsx';

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export interface Auth {
  me: Principal;
  /** Whether the logged-in role reaches `need` (the server checks again; this only hides what would fail). */
  can(need: Role): boolean;
  logout(): Promise<void>;
}

const Ctx = createContext<Auth | null>(null);

/** Sends an anonymous visitor to /login/ and back to where they were afterwards. */
export function toLogin(): void {
  const here = location.pathname + location.search;
  location.assign(`/login/?next=${encodeURIComponent(here)}`);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Principal | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setUnauthenticatedHandler(toLogin);
    authApi.me().then(setMe, (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) return; // the handler is already redirecting
      setError(e);
    });
    return () => setUnauthenticatedHandler(null);
  }, [attempt]);
  if (!me) return error ? <ErrorBox error={error} onRetry={() => setAttempt((n) => n + 1)} /> : <Spinner />;
  const auth: Auth = {
    me,
    can: (need) => RANK[me.role] >= RANK[need],
    logout: async () => {
      await authApi.logout().catch(() => {});
      location.assign('/login/');
    },
  };
  return <Ctx.Provider value={auth}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
