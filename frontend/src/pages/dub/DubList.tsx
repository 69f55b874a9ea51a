import { useCallback, useEffect, useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../../errors";
import { formatDateTime, formatSeconds } from "../../format";
import { useI18n } from "../../i18n";
import { useJobEvents } from "../../jobs";
import { statusText } from "../../jobText";
import { dubLanguage } from "./labels";
import { dubList, type Dub } from "./api";

const SHOWN = 8;

/** The user's latest dubs, newest first; each reopens on this page. */
export function DubList({ current }: { current: string | null }) {
  const { t, locale } = useI18n();
  const [dubs, setDubs] = useState<Dub[] | null>(null);
  const [count, setCount] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback((signal?: AbortSignal) => {
    dubList(1, SHOWN, signal).then(
      (page) => {
        setDubs(page.results);
        setCount(page.count);
        setError(null);
      },
      (err: unknown) => {
        if (!(err instanceof DOMException)) setError(errorMessage(err, t));
      },
    );
  }, [t]);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  useJobEvents((event) => {
    if (event.kind === "dub" && event.type !== "job.progress") load();
  });

  return (
    <section className="card" data-testid="dub-list">
      <header className="card-header">
        <h2>{t("dub.list.title")}</h2>
        {dubs !== null && <span className="count">{count}</span>}
      </header>
      {error && <p className="alert alert-error small">{error}</p>}
      {dubs === null && !error && <p className="muted">{t("common.loading")}</p>}
      {dubs !== null && dubs.length === 0 && <p className="muted" data-testid="dub-list-empty">{t("dub.list.empty")}</p>}
      {dubs !== null && dubs.length > 0 && (
        <ul className="dub-list">
          {dubs.map((dub) => (
            <li key={dub.job_id} className={dub.job_id === current ? "active" : undefined} data-testid={`dub-list-${dub.job_id}`}>
              <Link to={`/dub?dub=${encodeURIComponent(dub.job_id)}`} data-testid={`dub-open-${dub.job_id}`} className="ellipsis">
                {dub.title || t("dub.list.untitled")}
              </Link>
              <span className="chip chip-muted">
                {dubLanguage(dub.source_language, t, locale)} → {dubLanguage(dub.target_language, t, locale)}
              </span>
              <span className={`chip chip-${dub.status}`}>{statusText(dub.status, t)}</span>
              {dub.duration !== null && <span className="muted small">{formatSeconds(dub.duration, t, locale)}</span>}
              {dub.created_at && <span className="muted small">{formatDateTime(dub.created_at, locale)}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
