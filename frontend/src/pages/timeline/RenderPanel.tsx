import { useEffect, useState } from "react";
import { ProgressBar } from "../../components/ProgressBar";
import { errorMessage } from "../../errors";
import { formatDateTime, formatSeconds } from "../../format";
import { useI18n } from "../../i18n";
import { useJob } from "../../jobs";
import { isRenderResult, renderStart, type RenderFormat, type TimelineRender } from "../../timeline/api";
import { statusText } from "../../jobText";

interface Props {
  timelineKey: string;
  hasPicture: boolean;
  dirty: boolean;
  renders: TimelineRender[];
  /** Saves unsaved edits first (the server renders the saved layout); false when that failed. */
  save: () => Promise<boolean>;
}

interface Done {
  url: string;
  format: string;
  duration: number;
}

function withParam(url: string, key: string, value: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}${key}=${encodeURIComponent(value)}`;
}

export function RenderPanel({ timelineKey, hasPicture, dirty, renders, save }: Props) {
  const { t, locale } = useI18n();
  const [format, setFormat] = useState<RenderFormat>("wav");
  const [status, setStatus] = useState("idle");
  const [fraction, setFraction] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [made, setMade] = useState<TimelineRender[]>([]);
  const renderJob = useJob({
    onUpdate: (update) => {
      setStatus(update.status);
      setMessage(update.message);
      if (update.total && update.progress !== null) setFraction(update.progress / update.total);
    },
    onDone: (update) => {
      if (update.status === "succeeded" && isRenderResult(update.result)) {
        setFraction(1);
        const result = update.result;
        setDone({ url: result.url, format: result.format, duration: result.duration });
        setMade((prev) => [{ ...result, created_at: new Date().toISOString() }, ...prev]);
      } else {
        setError(update.error || statusText(update.status, t));
      }
    },
  });
  useEffect(() => {
    if (!hasPicture && format === "mp4") setFormat("wav");
  }, [hasPicture, format]);

  const running = status === "saving" || status === "pending" || status === "running";

  const render = async () => {
    setError(null);
    setDone(null);
    setFraction(null);
    setMessage(null);
    renderJob.reset();
    if (dirty) {
      setStatus("saving");
      if (!(await save())) {
        setStatus("idle");
        return;
      }
    }
    setStatus("pending");
    try {
      const started = await renderStart(timelineKey, format);
      renderJob.follow(started.task_id, started.status || "pending");
    } catch (err) {
      setStatus("failed");
      setError(errorMessage(err, t));
    }
  };

  const formats: RenderFormat[] = hasPicture ? ["wav", "mp3", "flac", "mp4"] : ["wav", "mp3", "flac"];
  const seen = new Set<string>();
  const older = [...made, ...renders]
    .filter((r) => !seen.has(r.render_id) && seen.add(r.render_id) && (!done || !done.url.endsWith(r.render_id)))
    .slice(0, 4);

  return (
    <section className="card tl-render" data-testid="timeline-render-panel">
      <header className="card-header">
        <div>
          <h2>{t("timeline.render.title")}</h2>
          <p className="muted small">{hasPicture ? t("timeline.render.leadVideo") : t("timeline.render.lead")}</p>
        </div>
        <span className={`chip chip-${status}`} data-testid="timeline-render-status" data-status={status}>
          {status === "idle" ? t("timeline.render.idle") : status === "saving" ? t("timeline.saving") : statusText(status, t)}
        </span>
      </header>
      <div className="tl-render-form">
        <label className="field">
          <span>{t("timeline.render.format")}</span>
          <select
            className="input"
            data-testid="timeline-render-format"
            value={format}
            onChange={(event) => setFormat(event.target.value as RenderFormat)}
          >
            {formats.map((item) => (
              <option key={item} value={item}>
                {item.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="timeline-render-run"
          disabled={running}
          onClick={() => void render()}
        >
          {running ? t("timeline.render.running") : dirty ? t("timeline.render.saveAndRun") : t("timeline.render.run")}
        </button>
      </div>
      {(running || fraction !== null) && (
        <div className="tl-render-progress">
          <ProgressBar
            value={fraction === null ? null : fraction * 100}
            label={t("timeline.render.title")}
            testId="timeline-render-progress"
          />
          <span className="muted small">
            {fraction === null ? "" : `${Math.round(fraction * 100)} %`} {message ?? ""}
          </span>
        </div>
      )}
      {error && (
        <p className="alert alert-error" role="alert" data-testid="timeline-render-error">
          {error}
        </p>
      )}
      {done && (
        <div className="tl-render-done" data-testid="timeline-render-done" data-duration={done.duration}>
          {done.format === "mp4" ? (
            <video controls preload="metadata" src={done.url} className="tl-video" data-testid="timeline-render-video" />
          ) : (
            <audio controls preload="metadata" src={done.url} data-testid="timeline-render-audio" />
          )}
          <a
            className="btn btn-secondary"
            data-testid="timeline-render-download"
            href={withParam(done.url, "download", "1")}
            download
          >
            {t("timeline.render.download", { format: done.format.toUpperCase() })}
          </a>
          <span className="muted small">{formatSeconds(done.duration, t, locale)}</span>
        </div>
      )}
      {older.length > 0 && (
        <>
          <h3 className="subhead">{t("timeline.render.recent")}</h3>
          <ul className="tl-render-list">
            {older.map((item) => (
              <li key={item.render_id}>
                <a href={withParam(item.url, "download", "1")} download data-testid={`timeline-render-old-${item.render_id}`}>
                  {item.format.toUpperCase()} · {formatSeconds(item.duration, t, locale)}
                </a>
                <span className="muted small">
                  {t("timeline.render.versionAt", { version: item.version })} · {formatDateTime(item.created_at, locale) ?? ""}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
