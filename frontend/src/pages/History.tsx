import { useCallback, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { api, query, type Generation, type Page } from "../api";
import { Pager, PageHeader } from "../components/PageShell";
import { PlayGlyph } from "../components/SamplePlayer";
import { errorMessage } from "../errors";
import { formatDateTime, formatLength, formatNumber } from "../format";
import { useI18n } from "../i18n";
import { useJobEvents } from "../jobs";
import { modeText, statusText } from "../jobText";

const PAGE_SIZE = 25;
const SEARCH_DEBOUNCE_MS = 300;
const MODES = ["single", "chunked", "multivoice", "multilang"] as const;

export function HistoryPage() {
  const { t, locale } = useI18n();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [mode, setMode] = useState("");
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<Generation> | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [playing, setPlaying] = useState<string | null>(null);
  const requestId = useRef(0);
  const reloadTimer = useRef<number | undefined>(undefined);

  useEffect(() => {
    const timer = window.setTimeout(() => {
      setQ(search.trim());
      setPage(1);
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [search]);

  const load = useCallback(async () => {
    const id = ++requestId.current;
    setLoading(true);
    try {
      const next = await api.get<Page<Generation>>(`/api/generations${query({ q, mode, page, page_size: PAGE_SIZE })}`);
      if (id !== requestId.current) return;
      if (next.results.length === 0 && page > 1) {
        setPage((p) => Math.max(1, p - 1));
        return;
      }
      setData(next);
      setLoadError(null);
    } catch (err) {
      if (id === requestId.current) setLoadError(errorMessage(err, t));
    } finally {
      if (id === requestId.current) setLoading(false);
    }
  }, [q, mode, page, t]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => () => window.clearTimeout(reloadTimer.current), []);

  // Generations that finish (or new ones) show up without a manual reload.
  useJobEvents((event) => {
    if (event.type === "job.progress" || !event.kind.startsWith("generation")) return;
    window.clearTimeout(reloadTimer.current);
    reloadTimer.current = window.setTimeout(() => void load(), 500);
  });

  const remove = async (generation: Generation) => {
    if (!window.confirm(t("history.confirmDelete", { title: generation.title || generation.id }))) return;
    setBusy(generation.id);
    setActionError(null);
    try {
      await api.delete(`/api/generations/${encodeURIComponent(generation.id)}`);
      if (playing === generation.id) setPlaying(null);
      setData((prev) => (prev ? { ...prev, count: prev.count - 1, results: prev.results.filter((g) => g.id !== generation.id) } : prev));
      await load();
    } catch (err) {
      setActionError(errorMessage(err, t));
    } finally {
      setBusy(null);
    }
  };

  const pages = data ? Math.max(1, Math.ceil(data.count / (data.page_size || PAGE_SIZE))) : 1;

  return (
    <div className="page page-wide">
      <PageHeader title={t("nav.history")} lead={t("history.lead")} />

      <section className="card">
        <div className="history-filters">
          <input
            type="search"
            className="input search-input"
            data-testid="history-search"
            value={search}
            placeholder={t("history.searchPlaceholder")}
            aria-label={t("history.search")}
            onChange={(event) => setSearch(event.target.value)}
          />
          <label className="filter">
            <span>{t("history.mode")}</span>
            <select
              data-testid="history-filter-mode"
              value={mode}
              onChange={(event) => {
                setMode(event.target.value);
                setPage(1);
              }}
            >
              <option value="">{t("history.anyMode")}</option>
              {MODES.map((item) => (
                <option key={item} value={item}>
                  {modeText(item, t)}
                </option>
              ))}
            </select>
          </label>
          {loading && <span className="spinner spinner-sm" aria-hidden="true" />}
        </div>

        {loadError && (
          <p className="alert alert-error" role="alert">
            {t("history.loadError", { detail: loadError })}
          </p>
        )}
        {actionError && (
          <p className="alert alert-error" role="alert" data-testid="history-error">
            {actionError}
          </p>
        )}

        {data === null ? (
          !loadError && <p className="muted">{t("common.loading")}</p>
        ) : data.results.length === 0 ? (
          <p className="muted" data-testid="history-empty">
            {q || mode ? t("history.noMatches") : t("history.empty")}
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table table-cards history-table">
              <thead>
                <tr>
                  <th>{t("history.colTitle")}</th>
                  <th>{t("history.colMode")}</th>
                  <th>{t("history.colStatus")}</th>
                  <th className="num">{t("history.colChunks")}</th>
                  <th className="num">{t("history.colDuration")}</th>
                  <th>{t("history.colCreated")}</th>
                  <th className="col-actions">{t("history.colActions")}</th>
                </tr>
              </thead>
              <tbody>
                {data.results.map((generation) => (
                  <tr key={generation.id} data-testid={`history-row-${generation.id}`} data-status={generation.status} data-mode={generation.mode}>
                    <td className="history-title">
                      <span className="strong" title={generation.title}>
                        {generation.title || t("history.untitled")}
                      </span>
                      {generation.error && <small className="bad-text">{generation.error}</small>}
                      {generation.status === "succeeded" && (
                        <small className="history-links">
                          <Link data-testid={`history-timeline-${generation.id}`} to={`/timeline?generation=${encodeURIComponent(generation.id)}`}>
                            {t("timeline.fromHistory")}
                          </Link>
                          {" · "}
                          <Link data-testid={`history-montage-${generation.id}`} to={`/montages?add=${encodeURIComponent(generation.id)}`}>
                            {t("montages.addFromHistory")}
                          </Link>
                        </small>
                      )}
                      {playing === generation.id && generation.audio_url && (
                        <audio
                          controls
                          autoPlay
                          src={generation.audio_url}
                          data-testid={`history-audio-${generation.id}`}
                          onEnded={() => setPlaying(null)}
                        />
                      )}
                    </td>
                    <td data-label={t("history.colMode")}>
                      <span className="chip chip-muted">{modeText(generation.mode, t)}</span>
                    </td>
                    <td data-label={t("history.colStatus")}>
                      <span className={`chip chip-${generation.status}`}>{statusText(generation.status, t)}</span>
                    </td>
                    <td className="num" data-label={t("history.colChunks")}>
                      {generation.chunk_count === null || generation.chunk_count === undefined
                        ? t("common.notApplicable")
                        : formatNumber(generation.chunk_count, locale, 0)}
                    </td>
                    <td className="num nowrap" data-label={t("history.colDuration")}>
                      {formatLength(generation.duration, t, locale)}
                    </td>
                    <td className="nowrap" data-label={t("history.colCreated")}>
                      {formatDateTime(generation.created_at, locale) ?? t("common.notApplicable")}
                    </td>
                    <td className="col-actions">
                      <div className="row-actions">
                        {generation.audio_url && (
                          <button
                            type="button"
                            className="btn btn-sm btn-secondary"
                            data-testid={`history-play-${generation.id}`}
                            onClick={() => setPlaying((prev) => (prev === generation.id ? null : generation.id))}
                          >
                            <PlayGlyph playing={playing === generation.id} />
                            {playing === generation.id ? t("history.hide") : t("history.play")}
                          </button>
                        )}
                        <Link
                          className="btn btn-sm btn-secondary"
                          data-testid={`history-open-${generation.id}`}
                          to={`/studio?generation=${encodeURIComponent(generation.id)}`}
                        >
                          {t("history.open")}
                        </Link>
                        <button
                          type="button"
                          className="btn btn-sm btn-danger"
                          data-testid={`history-delete-${generation.id}`}
                          disabled={busy === generation.id}
                          onClick={() => void remove(generation)}
                        >
                          {t("history.delete")}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        {data && data.count > 0 && (
          <Pager
            page={page}
            pages={pages}
            onPage={setPage}
            busy={loading}
            previousLabel={t("history.prev")}
            nextLabel={t("history.next")}
            summary={t("history.pageOf", { page, pages, count: data.count })}
            testIdPrefix="history"
          />
        )}
      </section>
    </div>
  );
}
