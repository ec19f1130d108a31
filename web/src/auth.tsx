import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { Navigate, useLocation } from "react-router-dom";
import { Result, Spin } from "antd";
import { api, type Role, type User } from "./api.ts";
import { useI18n } from "./i18n.ts";

export interface Auth {
  user: User | null;
  /** False until /api/auth/me has answered once. */
  ready: boolean;
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
  hasRole(...roles: Role[]): boolean;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    api.auth
      .me()
      .then((r) => setUser(r?.user ?? null))
      .catch(() => setUser(null))
      .finally(() => setReady(true));
  }, []);
  const login = useCallback(async (username: string, password: string) => {
    const r = await api.auth.login(username, password);
    setUser(r.user);
    return r.user;
  }, []);
  const logout = useCallback(async () => {
    try {
      await api.auth.logout();
    } finally {
      setUser(null);
    }
  }, []);
  const value = useMemo<Auth>(
    () => ({ user, ready, login, logout, hasRole: (...roles) => !!user && user.roles.some((r) => roles.includes(r)) }),
    [user, ready, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error("useAuth outside AuthProvider");
  return a;
}

/** Pages that need a login (and optionally a role). Sends guests to /login and back. */
export function RequireAuth({ roles, children }: { roles?: Role[]; children: ReactNode }) {
  const { user, ready, hasRole } = useAuth();
  const { t } = useI18n();
  const loc = useLocation();
  if (!ready)
    return (
      <div style={{ padding: 80, textAlign: "center" }}>
        <Spin aria-label={t("common.loading")} />
      </div>
    );
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (roles && !hasRole(...roles)) return <Result status="403" title="403" subTitle={t("common.forbidden")} />;
  return <>{children}</>;
}
