import { useCallback, useEffect, useState } from "react";
import { api, type ApiKey, type CreatedApiKey } from "../api";
import { errorMessage } from "../errors";
import { formatDate, formatDateTime, parseDate } from "../format";
import { useI18n } from "../i18n";

type KeyState = "active" | "revoked" | "expired";

function keyState(key: ApiKey): KeyState {
  if (key.revoked || key.revoked_at) return "revoked";
  const expires = parseDate(key.expires_at);
  if ((expires && expires.getTime() <= Date.now()) || !key.is_active) return "expired";
  return "active";
}

import { CreatedKey, CreateKeyForm } from "./apikeys/CreateKey";
import { PageHeader } from "../components/PageShell";

export function ApiKeysPage() {
  const { t, locale } = useI18n();
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [busyKey, setBusyKey] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setKeys(await api.get<ApiKey[]>("/api/api-keys"));
      setLoadError(null);
    } catch (err) {
      setLoadError(errorMessage(err, t));
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, [load]);

  const onCreated = (key: CreatedApiKey) => {
    setCreated(key);
    const { key: _secret, ...listed } = key;
    void _secret;
    setKeys((prev) => (prev ? [listed, ...prev.filter((k) => k.key_id !== key.key_id)] : [listed]));
    void load();
  };

  const revoke = async (key: ApiKey) => {
    if (!window.confirm(t("keys.confirmRevoke", { name: key.name }))) return;
    setBusyKey(key.key_id);
    setActionError(null);
    try {
      await api.post(`/api/api-keys/${encodeURIComponent(key.key_id)}/revoke`, {});
      await load();
    } catch (err) {
      setActionError(errorMessage(err, t));
    } finally {
      setBusyKey(null);
    }
  };

  const remove = async (key: ApiKey) => {
    if (!window.confirm(t("keys.confirmDelete", { name: key.name }))) return;
    setBusyKey(key.key_id);
    setActionError(null);
    try {
      await api.delete(`/api/api-keys/${encodeURIComponent(key.key_id)}`);
      setKeys((prev) => prev?.filter((k) => k.key_id !== key.key_id) ?? prev);
      await load();
    } catch (err) {
      setActionError(errorMessage(err, t));
    } finally {
      setBusyKey(null);
    }
  };

  const stateLabel: Record<KeyState, string> = {
    active: t("keys.stateActive"),
    revoked: t("keys.stateRevoked"),
    expired: t("keys.stateExpired"),
  };

  return (
    <div className="page">
      <PageHeader title={t("keys.title")} lead={t("keys.lead")} />

      {created && <CreatedKey created={created} onDismiss={() => setCreated(null)} />}

      <CreateKeyForm onCreated={onCreated} />

      <section className="card">
        <header className="card-header">
          <h2>{t("keys.listTitle")}</h2>
        </header>
        {loadError && <p className="alert alert-error">{t("keys.loadError", { detail: loadError })}</p>}
        {actionError && (
          <p className="alert alert-error" role="alert">
            {actionError}
          </p>
        )}
        {keys === null ? (
          !loadError && <p className="muted">{t("common.loading")}</p>
        ) : keys.length === 0 ? (
          <p className="muted">{t("keys.empty")}</p>
        ) : (
          <div className="table-scroll">
            <table className="table table-cards keys-table">
              <thead>
                <tr>
                  <th>{t("keys.colName")}</th>
                  <th>{t("keys.colPrefix")}</th>
                  <th>{t("keys.colScopes")}</th>
                  <th>{t("keys.colCreated")}</th>
                  <th>{t("keys.colLastUsed")}</th>
                  <th>{t("keys.colExpires")}</th>
                  <th>{t("keys.colState")}</th>
                  <th className="col-actions">{t("keys.colActions")}</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => {
                  const state = keyState(key);
                  const busy = busyKey === key.key_id;
                  return (
                    <tr key={key.key_id} data-testid={`key-row-${key.key_id}`} data-state={state}>
                      <td className="strong">{key.name}</td>
                      <td data-label={t("keys.colPrefix")}>
                        <code>{key.prefix}…</code>
                      </td>
                      <td data-label={t("keys.colScopes")}>
                        <div className="chips">
                          {key.scopes.map((scope) => (
                            <span
                              key={scope}
                              className="chip chip-muted"
                              title={t("keys.limitTitle", { limit: key.limits?.[scope] ?? "?" })}
                            >
                              {scope}
                              {key.limits?.[scope] !== undefined && <small> · {key.limits[scope]}{t("unit.perMinute")}</small>}
                            </span>
                          ))}
                        </div>
                      </td>
                      <td className="nowrap" data-label={t("keys.colCreated")}>
                        {formatDateTime(key.created_at, locale) ?? t("common.notApplicable")}
                      </td>
                      <td className="nowrap" data-label={t("keys.colLastUsed")}>
                        {formatDateTime(key.last_used_at, locale) ?? t("common.never")}
                      </td>
                      <td className="nowrap" data-label={t("keys.colExpires")}>
                        {formatDate(key.expires_at, locale) ?? t("common.never")}
                      </td>
                      <td data-label={t("keys.colState")}>
                        <span className={`chip chip-key-${state}`}>{stateLabel[state]}</span>
                      </td>
                      <td className="col-actions">
                        <div className="row-actions">
                          {state === "active" && (
                            <button
                              type="button"
                              className="btn btn-sm btn-secondary"
                              data-testid={`key-revoke-${key.key_id}`}
                              disabled={busy}
                              onClick={() => void revoke(key)}
                            >
                              {t("keys.revoke")}
                            </button>
                          )}
                          <button
                            type="button"
                            className="btn btn-sm btn-danger"
                            data-testid={`key-delete-${key.key_id}`}
                            disabled={busy}
                            onClick={() => void remove(key)}
                          >
                            {t("keys.delete")}
                          </button>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
