import { api } from "../../api";
import { useState } from "react";
import { useNavigate } from "react-router";
import { clockTime, numberField, stringField, type JobAccepted } from "../../cloning/api";
import { JobProgress } from "../../cloning/JobProgress";
import { useJob } from "../../jobs";
import { errorMessage } from "../../errors";
import { useT } from "../../i18n";

/** Audio from a video page: the worker downloads it and keeps the audio as a media file. */
export function DownloadPanel() {
  const t = useT();
  const navigate = useNavigate();
  const [url, setUrl] = useState("");
  const [title, setTitle] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { job, running, follow, reset } = useJob();

  const start = async () => {
    setBusy(true);
    setError(null);
    reset();
    try {
      const started = await api.post<JobAccepted & { title?: string }>("/api/download-video", { url: url.trim() });
      setTitle(started.title ?? "");
      follow(started.task_id, started.status);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const done = job?.status === "succeeded" ? job.result : null;
  const mediaId = stringField(done, "media_id");
  const audioUrl = stringField(done, "audio_url") ?? (mediaId ? `/api/media/${mediaId}/audio` : null);
  const name = stringField(done, "name") ?? title;
  const duration = numberField(done, "duration");

  return (
    <section className="card tool-card" data-testid="tools-download">
      <header className="card-header">
        <div>
          <h2>{t("tools.download.title")}</h2>
          <p className="muted small">{t("tools.download.lead")}</p>
        </div>
      </header>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (url.trim() && !busy && !running) void start();
        }}
      >
        <label className="field field-grow">
          <span>{t("tools.download.url")}</span>
          <input
            type="url"
            data-testid="tools-download-url"
            value={url}
            placeholder="https://…"
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="tools-download-run" disabled={!url.trim() || busy || running}>
          {busy || running ? t("tools.download.running") : t("tools.download.run")}
        </button>
      </form>
      {error && (
        <p className="alert alert-error" role="alert" data-testid="tools-download-error">
          {error}
        </p>
      )}
      {job && <JobProgress job={job} testId="tools-download-progress" label={t("tools.download.title")} />}
      {done !== null && mediaId && (
        <div className="tool-result" data-testid="tools-download-result" data-media={mediaId}>
          <div className="tool-result-head">
            <strong className="ellipsis">{name || mediaId}</strong>
            {duration !== null && <span className="chip chip-muted">{clockTime(duration)}</span>}
          </div>
          {audioUrl && <audio controls preload="none" src={audioUrl} data-testid="tools-download-audio" className="tool-audio" />}
          <div className="actions actions-start">
            <button
              type="button"
              className="btn btn-primary btn-sm"
              data-testid="tools-download-clone"
              onClick={() => navigate(`/clone?media=${encodeURIComponent(mediaId)}`)}
            >
              {t("tools.download.useForClone")}
            </button>
            {audioUrl && (
              <a className="btn btn-secondary btn-sm" href={audioUrl} download data-testid="tools-download-file">
                {t("tools.download.save")}
              </a>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
