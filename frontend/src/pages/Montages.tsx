import { useCallback, useEffect, useMemo, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api, query, type Generation, type Page } from "../api";
import { errorMessage } from "../errors";
import { formatDateTime } from "../format";
import { useI18n } from "../i18n";
import {
  montageCreate,
  montageDelete,
  montageGet,
  montageList,
  montageUpdate,
  type Montage,
  type MontageDetail,
} from "../timeline/api";
import "./timeline/timeline.css";

import { MontageFields, type Draft, type GenInfo } from "./montages/MontageFields";
import { PageHeader } from "../components/PageShell";

export function MontagesPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get("id");
  const [montages, setMontages] = useState<Montage[] | null>(null);
  const [generations, setGenerations] = useState<Generation[] | null>(null);
  const [detail, setDetail] = useState<MontageDetail | null>(null);
  // `?add=<id>,<id>` (from History) starts a new montage with those generations.
  const [draft, setDraft] = useState<Draft>(() => ({
    title: "",
    notes: "",
    ids: [...new Set((params.get("add") ?? "").split(",").filter(Boolean))],
  }));
  const [editDraft, setEditDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const loadList = useCallback(async () => {
    try {
      setMontages((await montageList(1, 200)).results);
    } catch (err) {
      setError(errorMessage(err, t));
    }
  }, [t]);

  useEffect(() => {
    void loadList();
    api
      .get<Page<Generation>>(`/api/generations${query({ page_size: 200 })}`)
      .then((page) => setGenerations(page.results.filter((g) => g.status === "succeeded")))
      .catch((err) => setError(errorMessage(err, t)));
  }, [loadList, t]);

  useEffect(() => {
    setDetail(null);
    setEditDraft(null);
    if (!selectedId) return;
    let live = true;
    montageGet(selectedId).then(
      (value) => {
        if (!live) return;
        setDetail(value);
        setEditDraft({ title: value.title, notes: value.notes, ids: value.generation_ids });
      },
      (err) => live && setError(errorMessage(err, t)),
    );
    return () => {
      live = false;
    };
  }, [selectedId, t]);

  const known = useMemo(() => {
    const map = new Map<string, GenInfo>();
    for (const g of generations ?? []) map.set(g.id, g);
    for (const g of detail?.generations ?? []) map.set(g.id, g);
    return map;
  }, [detail, generations]);

  const select = (id: string | null) => setParams(id ? { id } : {});

  const create = async () => {
    setBusy("create");
    setError(null);
    setNotice(null);
    try {
      const made = await montageCreate(draft.title.trim(), draft.notes, draft.ids);
      setDraft({ title: "", notes: "", ids: [] });
      await loadList();
      setNotice(t("montages.created", { title: made.title }));
      select(made.id);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(null);
    }
  };

  const saveEdit = async (): Promise<boolean> => {
    if (!detail || !editDraft) return false;
    setBusy("save");
    setError(null);
    setNotice(null);
    try {
      const next = await montageUpdate(detail.id, {
        title: editDraft.title,
        notes: editDraft.notes,
        generation_ids: editDraft.ids,
      });
      setDetail(next);
      setEditDraft({ title: next.title, notes: next.notes, ids: next.generation_ids });
      await loadList();
      setNotice(t("montages.saved"));
      return true;
    } catch (err) {
      setError(errorMessage(err, t));
      return false;
    } finally {
      setBusy(null);
    }
  };

  const remove = async (montage: Montage) => {
    if (!window.confirm(t("montages.confirmDelete", { title: montage.title }))) return;
    setBusy(montage.id);
    setError(null);
    try {
      await montageDelete(montage.id);
      if (selectedId === montage.id) select(null);
      await loadList();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(null);
    }
  };

  const editChanged =
    detail && editDraft
      ? editDraft.title !== detail.title || editDraft.notes !== detail.notes || editDraft.ids.join() !== detail.generation_ids.join()
      : false;

  /** Open as a timeline; a changed order first saves and lays the timeline out again. */
  const openTimeline = async (id: string) => {
    if (detail && detail.id === id && editChanged) {
      if (!(await saveEdit())) return;
      navigate(`/timeline?montage=${encodeURIComponent(id)}&rebuild=1`);
      return;
    }
    navigate(`/timeline?montage=${encodeURIComponent(id)}`);
  };

  return (
    <div className="page page-wide" data-testid="montages-page">
      <PageHeader title={t("nav.montages")} lead={t("montages.lead")} />
      {error && (
        <p className="alert alert-error" role="alert" data-testid="montages-error">
          {error}
        </p>
      )}
      {notice && (
        <p className="alert alert-success" data-testid="montages-notice">
          {notice}
        </p>
      )}
      <div className="grid grid-2">
        <section className="card">
          <header className="card-header">
            <h2>
              {t("montages.list")} <span className="count">{montages?.length ?? 0}</span>
            </h2>
            {selectedId && (
              <button type="button" className="btn btn-sm btn-secondary" data-testid="montages-new" onClick={() => select(null)}>
                {t("montages.new")}
              </button>
            )}
          </header>
          {montages === null ? (
            <p className="muted">{t("common.loading")}</p>
          ) : montages.length === 0 ? (
            <p className="muted" data-testid="montages-empty">
              {t("montages.empty")}
            </p>
          ) : (
            <ul className="mt-list">
              {montages.map((item) => (
                <li key={item.id} className={item.id === selectedId ? "active" : ""} data-testid={`montages-row-${item.id}`}>
                  <button type="button" className="mt-list-main" data-testid={`montages-select-${item.id}`} onClick={() => select(item.id)}>
                    <span className="strong tl-ellipsis" title={item.title}>
                      {item.title}
                    </span>
                    <span className="muted small">
                      {t("montages.count", { count: item.generation_count ?? 0 })} · {formatDateTime(item.updated_at, locale) ?? ""}
                    </span>
                    {item.notes && <span className="muted small tl-ellipsis">{item.notes}</span>}
                  </button>
                  <div className="row-actions">
                    <button
                      type="button"
                      className="btn btn-sm btn-secondary"
                      data-testid={`montages-timeline-${item.id}`}
                      disabled={!item.generation_count}
                      onClick={() => void openTimeline(item.id)}
                    >
                      {t("montages.openTimeline")}
                    </button>
                    <button
                      type="button"
                      className="btn btn-sm btn-danger"
                      data-testid={`montages-delete-${item.id}`}
                      disabled={busy === item.id}
                      onClick={() => void remove(item)}
                    >
                      {t("montages.delete")}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>

        {selectedId ? (
          <section className="card" data-testid="montage-detail">
            <header className="card-header">
              <div>
                <h2>{t("montages.edit")}</h2>
                {detail?.timeline_id && <p className="muted small">{t("montages.hasTimeline")}</p>}
              </div>
            </header>
            {!detail || !editDraft ? (
              <p className="muted">{t("common.loading")}</p>
            ) : (
              <>
                <MontageFields draft={editDraft} setDraft={setEditDraft} available={generations} known={known} prefix="montage-edit" />
                <div className="actions">
                  <button
                    type="button"
                    className="btn btn-secondary"
                    data-testid="montage-edit-timeline"
                    disabled={editDraft.ids.length === 0 || busy !== null}
                    onClick={() => void openTimeline(detail.id)}
                  >
                    {editChanged ? t("montages.saveAndOpen") : t("montages.openTimeline")}
                  </button>
                  <button
                    type="button"
                    className="btn btn-primary"
                    data-testid="montage-edit-save"
                    disabled={!editChanged || editDraft.ids.length === 0 || busy !== null}
                    onClick={() => void saveEdit()}
                  >
                    {t("montages.save")}
                  </button>
                </div>
              </>
            )}
          </section>
        ) : (
          <section className="card" data-testid="montage-create">
            <header className="card-header">
              <div>
                <h2>{t("montages.create")}</h2>
                <p className="muted small">
                  {t("montages.createLead")} <Link to="/history">{t("nav.history")}</Link>
                </p>
              </div>
            </header>
            <MontageFields draft={draft} setDraft={setDraft} available={generations} known={known} prefix="montage-new" />
            <div className="actions">
              <button
                type="button"
                className="btn btn-primary"
                data-testid="montage-new-create"
                disabled={draft.ids.length === 0 || busy !== null}
                onClick={() => void create()}
              >
                {t("montages.createButton")}
              </button>
            </div>
          </section>
        )}
      </div>
    </div>
  );
}
