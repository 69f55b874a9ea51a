/** Creating an API key: the form, and the one-time display of the new key. */
import { useRef, useState, type FormEvent } from "react";
import { api, type CreatedApiKey } from "../../api";
import { errorMessage } from "../../errors";
import { useI18n } from "../../i18n";
import { MAX_LIMIT, SCOPES } from "../../scopes";

function todayPlus(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function defaultLimits(): Record<string, string> {
  return Object.fromEntries(SCOPES.map((s) => [s.scope, String(s.defaultLimit)]));
}

// ---- the one-time display of a new key -------------------------------------------------------------

export function CreatedKey({ created, onDismiss }: { created: CreatedApiKey; onDismiss: () => void }) {
  const { t } = useI18n();
  const secretRef = useRef<HTMLElement>(null);
  const [copyState, setCopyState] = useState<"idle" | "copied" | "manual">("idle");
  const host = window.location.host;

  const selectSecret = () => {
    const el = secretRef.current;
    const selection = window.getSelection();
    if (!el || !selection) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    selection.removeAllRanges();
    selection.addRange(range);
  };

  const copy = async () => {
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error("clipboard unavailable");
      await navigator.clipboard.writeText(created.key);
      setCopyState("copied");
    } catch {
      selectSecret();
      let copied = false;
      try {
        copied = document.execCommand("copy");
      } catch {
        copied = false;
      }
      setCopyState(copied ? "copied" : "manual");
    }
  };

  return (
    <section className="card key-created" data-testid="key-created" role="status">
      <h2>{t("keys.createdTitle", { name: created.name })}</h2>
      <p className="key-warning">{t("keys.createdWarning")}</p>
      <div className="secret-row">
        <code className="secret" data-testid="key-secret" ref={secretRef} onClick={selectSecret}>
          {created.key}
        </code>
        <button type="button" className="btn btn-primary" data-testid="key-copy" onClick={() => void copy()}>
          {copyState === "copied" ? t("keys.copied") : t("keys.copy")}
        </button>
      </div>
      {copyState === "manual" && <p className="muted small">{t("keys.copyFallback")}</p>}
      <p className="muted small">{t("keys.usage")}</p>
      <pre className="code-block">
        <code>{`curl -H "X-API-Key: ${created.key}" ${window.location.protocol}//${host}/api/system/info`}</code>
      </pre>
      <div className="actions">
        <button type="button" className="btn btn-secondary" onClick={onDismiss}>
          {t("keys.dismiss")}
        </button>
      </div>
    </section>
  );
}

// ---- the create form -----------------------------------------------------------------------------

export function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [selected, setSelected] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(SCOPES.map((s) => [s.scope, true])),
  );
  const [limits, setLimits] = useState<Record<string, string>>(defaultLimits);
  const [expires, setExpires] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const setAll = (value: boolean) => setSelected(Object.fromEntries(SCOPES.map((s) => [s.scope, value])));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const trimmed = name.trim();
    if (!trimmed) {
      setError(t("keys.nameRequired"));
      return;
    }
    const scopes = SCOPES.map((s) => s.scope).filter((scope) => selected[scope]);
    if (scopes.length === 0) {
      setError(t("keys.scopeRequired"));
      return;
    }
    const limitValues: Record<string, number> = {};
    for (const scope of scopes) {
      const raw = limits[scope]?.trim() ?? "";
      const value = Number(raw);
      if (!raw || !Number.isInteger(value) || value < 1 || value > MAX_LIMIT) {
        setError(t("keys.limitInvalid"));
        return;
      }
      limitValues[scope] = value;
    }
    let expiresAt: string | null = null;
    if (expires) {
      // The key stays valid through the whole chosen day, in the user's time zone.
      const end = new Date(`${expires}T23:59:59`);
      if (Number.isNaN(end.getTime()) || end.getTime() <= Date.now()) {
        setError(t("keys.expiryPast"));
        return;
      }
      expiresAt = end.toISOString();
    }
    setBusy(true);
    try {
      const created = await api.post<CreatedApiKey>("/api/api-keys", {
        name: trimmed,
        scopes,
        limits: limitValues,
        expires_at: expiresAt,
      });
      onCreated(created);
      setName("");
      setSelected(Object.fromEntries(SCOPES.map((s) => [s.scope, true])));
      setLimits(defaultLimits());
      setExpires("");
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card key-form" onSubmit={(e) => void submit(e)} noValidate>
      <header className="card-header">
        <h2>{t("keys.createTitle")}</h2>
      </header>
      <div className="form-row">
        <label className="field field-grow">
          <span>{t("keys.name")}</span>
          <input
            data-testid="key-name"
            value={name}
            maxLength={100}
            required
            placeholder={t("keys.namePlaceholder")}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t("keys.expires")}</span>
          <input
            type="date"
            data-testid="key-expires"
            value={expires}
            min={todayPlus(1)}
            onChange={(event) => setExpires(event.target.value)}
          />
          <small className="muted">{t("keys.expiresHint")}</small>
        </label>
      </div>

      <fieldset className="scopes">
        <legend>
          {t("keys.scopes")}
          <span className="legend-actions">
            <button type="button" className="link-btn" onClick={() => setAll(true)}>
              {t("keys.selectAll")}
            </button>
            <button type="button" className="link-btn" onClick={() => setAll(false)}>
              {t("keys.selectNone")}
            </button>
          </span>
        </legend>
        <p className="muted small">{t("keys.scopesHint")}</p>
        <div className="scope-grid">
          {SCOPES.map(({ scope, description }) => (
            <div className={`scope-item${selected[scope] ? " on" : ""}`} key={scope}>
              <label className="scope-check">
                <input
                  type="checkbox"
                  data-testid={`key-scope-${scope}`}
                  checked={!!selected[scope]}
                  onChange={(event) => setSelected((prev) => ({ ...prev, [scope]: event.target.checked }))}
                />
                <span>
                  <code>{scope}</code>
                  <small>{t(description)}</small>
                </span>
              </label>
              <label className="scope-limit">
                <input
                  type="number"
                  min={1}
                  max={MAX_LIMIT}
                  step={1}
                  inputMode="numeric"
                  data-testid={`key-limit-${scope}`}
                  aria-label={`${scope} ${t("unit.perMinute")}`}
                  value={limits[scope] ?? ""}
                  disabled={!selected[scope]}
                  onChange={(event) => setLimits((prev) => ({ ...prev, [scope]: event.target.value }))}
                />
                <span className="muted small">{t("unit.perMinute")}</span>
              </label>
            </div>
          ))}
        </div>
      </fieldset>

      {error && (
        <p className="alert alert-error" role="alert" data-testid="key-error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" data-testid="key-create" disabled={busy}>
          {busy ? t("keys.creating") : t("keys.create")}
        </button>
      </div>
    </form>
  );
}

// ---- the page ------------------------------------------------------------------------------------

