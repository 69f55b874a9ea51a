import { useState, type FormEvent } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { ApiError } from "../api";
import { useAuth } from "../auth";
import { LanguageSelect } from "../components/Layout";
import { errorMessage } from "../errors";
import { useT } from "../i18n";

interface FromState {
  from?: { pathname?: string; search?: string; hash?: string };
}

/** Where to go after login: the page the user wanted, never back to /login itself. */
function targetOf(state: unknown): string {
  const from = (state as FromState | null)?.from;
  const path = from?.pathname;
  if (!path || !path.startsWith("/") || path.startsWith("//") || path === "/login") return "/library";
  return `${path}${from?.search ?? ""}${from?.hash ?? ""}`;
}

export function LoginPage() {
  const t = useT();
  const { session, login } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const target = targetOf(location.state);

  if (session.authenticated && !busy) return <Navigate to={target} replace />;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError(t("login.required"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await login(username.trim(), password);
      if (next.authenticated) {
        navigate(target, { replace: true });
      } else {
        setError(t("login.failed"));
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === "authentication_failed") setError(t("login.failed"));
      else if (err instanceof ApiError && err.code === "rate_limited") setError(t("login.rateLimited"));
      else setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <div className="login-lang">
        <LanguageSelect />
      </div>
      <form className="login-card card" onSubmit={onSubmit} noValidate>
        <div className="brand brand-center">
          <span className="brand-mark" aria-hidden="true">
            <i />
            <i />
            <i />
            <i />
          </span>
          <span className="brand-text">
            <strong>{t("app.name")}</strong>
            <small>{t("app.tagline")}</small>
          </span>
        </div>
        <h1>{t("login.title")}</h1>
        <p className="muted">{t("login.subtitle")}</p>
        <label className="field">
          <span>{t("login.username")}</span>
          <input
            data-testid="login-username"
            name="username"
            autoComplete="username"
            autoFocus
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t("login.password")}</span>
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error && (
          <div className="alert alert-error" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <button type="submit" className="btn btn-primary btn-block" data-testid="login-submit" disabled={busy}>
          {busy ? t("login.submitting") : t("login.submit")}
        </button>
        <p className="muted small center">{t("login.hint")}</p>
      </form>
    </div>
  );
}
