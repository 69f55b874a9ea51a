/** The browser session: who is signed in, log in, log out. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, onAuthRequired, type Session } from "./api";

const SESSION_URL = "/api/auth/session";
const SIGNED_OUT: Session = { authenticated: false, username: null, is_staff: false };

type AuthStatus = "loading" | "ready" | "error";

interface AuthValue {
  status: AuthStatus;
  session: Session;
  error: unknown;
  /** Re-reads the session (also refreshes the CSRF cookie). */
  refresh: () => Promise<Session>;
  login: (username: string, password: string) => Promise<Session>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>("loading");
  const [session, setSession] = useState<Session>(SIGNED_OUT);
  const [error, setError] = useState<unknown>(null);

  const refresh = useCallback(async () => {
    try {
      const next = await api.get<Session>(SESSION_URL, { skipAuthRedirect: true });
      setSession(next);
      setStatus("ready");
      setError(null);
      return next;
    } catch (err) {
      setError(err);
      setStatus((current) => (current === "ready" ? current : "error"));
      throw err;
    }
  }, []);

  const login = useCallback(
    async (username: string, password: string) => {
      await api.post<Session>(SESSION_URL, { username, password }, { skipAuthRedirect: true });
      // Django rotates the CSRF token on login: read the session again so the new cookie is in place.
      return refresh();
    },
    [refresh],
  );

  const logout = useCallback(async () => {
    try {
      await api.delete<Session>(SESSION_URL, { skipAuthRedirect: true });
    } finally {
      setSession(SIGNED_OUT);
      // Fetch a fresh CSRF cookie for the next login; failures here don't matter.
      refresh().catch(() => undefined);
    }
  }, [refresh]);

  useEffect(() => {
    refresh().catch(() => undefined);
  }, [refresh]);

  // Any API call that answers "not authenticated" signs the user out of the SPA: RequireAuth redirects.
  useEffect(() => onAuthRequired(() => setSession(SIGNED_OUT)), []);

  const value = useMemo<AuthValue>(
    () => ({ status, session, error, refresh, login, logout }),
    [status, session, error, refresh, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <AuthProvider>");
  return value;
}
