import { useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, query, type Generation, type Page } from "../api";
import { errorMessage } from "../errors";
import { formatDateTime } from "../format";
import { useI18n } from "../i18n";
import { montageList, montageTimeline, timelineGet, type Layout, type Montage } from "../timeline/api";
import { clock } from "../timeline/model";
import { statusText } from "../jobText";
import { TimelineEditor } from "./timeline/TimelineEditor";
import "./timeline/timeline.css";
import { PageHeader } from "../components/PageShell";

/** `/timeline?generation=<task id>`, `/timeline?montage=<id>` or `/timeline?id=<timeline id>`; nothing: a picker. */
export function TimelinePage() {
  const [params, setParams] = useSearchParams();
  const generation = params.get("generation");
  const montage = params.get("montage");
  const id = params.get("id");
  // `rebuild=1` (from Montages, after a reorder) lays the montage out again once, then leaves the URL.
  const [rebuildFor, setRebuildFor] = useState(() => (params.get("rebuild") === "1" ? montage : null));
  useEffect(() => {
    if (params.has("rebuild")) {
      const next = new URLSearchParams(params);
      next.delete("rebuild");
      setParams(next, { replace: true });
    }
  }, [params, setParams]);
  if (!generation && !montage && !id) return <TimelinePicker />;
  const source = generation
    ? { kind: "generation" as const, value: generation }
    : montage
      ? { kind: "montage" as const, value: montage }
      : { kind: "id" as const, value: id as string };
  return (
    <TimelineLoader
      key={`${source.kind}:${source.value}`}
      source={source}
      rebuild={source.kind === "montage" && rebuildFor === source.value}
      onLoaded={() => setRebuildFor(null)}
    />
  );
}

interface LoaderProps {
  source: { kind: "generation" | "montage" | "id"; value: string };
  rebuild: boolean;
  onLoaded: () => void;
}

function TimelineLoader({ source, rebuild, onLoaded }: LoaderProps) {
  const { t } = useI18n();
  const once = useRef({ rebuild, onLoaded });
  const [layout, setLayout] = useState<Layout | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const load =
      source.kind === "montage"
        ? montageTimeline(source.value, once.current.rebuild)
        : timelineGet(source.value, controller.signal);
    load.then(
      (value) => {
        if (controller.signal.aborted) return;
        setLayout(value);
        once.current.onLoaded();
      },
      (err) => !controller.signal.aborted && setError(errorMessage(err, t)),
    );
    return () => controller.abort();
  }, [source.kind, source.value, t]);

  if (error) {
    return (
      <div className="page">
        <header className="page-header">
          <h1>{t("nav.timeline")}</h1>
        </header>
        <p className="alert alert-error" role="alert" data-testid="timeline-load-error">
          {error}
        </p>
        <p>
          <Link className="btn btn-secondary" to="/timeline">
            {t("timeline.openOther")}
          </Link>
        </p>
      </div>
    );
  }
  if (!layout) {
    return (
      <div className="page">
        <p className="muted" aria-busy="true">
          <span className="spinner spinner-sm" aria-hidden="true" /> {t("common.loading")}
        </p>
      </div>
    );
  }
  return <TimelineEditor initial={layout} />;
}

function TimelinePicker() {
  const { t, locale } = useI18n();
  const [generations, setGenerations] = useState<Generation[] | null>(null);
  const [montages, setMontages] = useState<Montage[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .get<Page<Generation>>(`/api/generations${query({ page_size: 30 })}`)
      .then((page) => live && setGenerations(page.results))
      .catch((err) => live && setError(errorMessage(err, t)));
    montageList(1, 30)
      .then((page) => live && setMontages(page.results))
      .catch((err) => live && setError(errorMessage(err, t)));
    return () => {
      live = false;
    };
  }, [t]);

  return (
    <div className="page page-wide" data-testid="timeline-picker">
      <PageHeader title={t("nav.timeline")} lead={t("timeline.pickLead")} />
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <div className="grid grid-2">
        <section className="card">
          <header className="card-header">
            <h2>{t("timeline.pickGenerations")}</h2>
          </header>
          {generations === null ? (
            <p className="muted">{t("common.loading")}</p>
          ) : generations.length === 0 ? (
            <p className="muted">
              {t("timeline.pickNoGenerations")} <Link to="/studio">{t("nav.studio")}</Link>
            </p>
          ) : (
            <ul className="tl-pick-list">
              {generations.map((item) => {
                const ready = item.status === "succeeded";
                return (
                  <li key={item.id}>
                    {ready ? (
                      <Link to={`/timeline?generation=${encodeURIComponent(item.id)}`} data-testid={`timeline-pick-generation-${item.id}`}>
                        {item.title || t("history.untitled")}
                      </Link>
                    ) : (
                      <span className="muted">{item.title || t("history.untitled")}</span>
                    )}
                    <span className="muted small">
                      {item.duration ? clock(item.duration) : statusText(item.status, t)} · {formatDateTime(item.created_at, locale) ?? ""}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        <section className="card">
          <header className="card-header">
            <h2>{t("nav.montages")}</h2>
            <Link className="btn btn-sm btn-secondary" to="/montages">
              {t("timeline.pickManageMontages")}
            </Link>
          </header>
          {montages === null ? (
            <p className="muted">{t("common.loading")}</p>
          ) : montages.length === 0 ? (
            <p className="muted">{t("timeline.pickNoMontages")}</p>
          ) : (
            <ul className="tl-pick-list">
              {montages.map((item) => (
                <li key={item.id}>
                  <Link to={`/timeline?montage=${encodeURIComponent(item.id)}`} data-testid={`timeline-pick-montage-${item.id}`}>
                    {item.title}
                  </Link>
                  <span className="muted small">
                    {t("montages.count", { count: item.generation_count ?? 0 })} · {formatDateTime(item.updated_at, locale) ?? ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
