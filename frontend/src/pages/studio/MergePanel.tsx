import { useEffect, useRef, useState } from "react";
import { api, type JobAccepted } from "../../api";
import { errorMessage } from "../../errors";
import { useI18n } from "../../i18n";
import { resultAudioUrl, useJob } from "../../jobs";
import { statusText } from "../../jobText";

export const FORMATS = ["wav", "mp3", "ogg", "flac"] as const;

interface Props {
  generationId: string;
  /** Every chunk has a take and nothing is running. */
  ready: boolean;
  /** The final audio the generation already has (e.g. reopened from History). */
  existingUrl: string | null;
  onMerged: () => void;
}

function withParam(url: string, key: string, value: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}${key}=${encodeURIComponent(value)}`;
}

/** Start the browser's download of `url` (the server names the file after the project). */
function download(url: string): void {
  const link = document.createElement("a");
  link.href = withParam(url, "download", "1");
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
}

export function MergePanel({ generationId, ready, existingUrl, onMerged }: Props) {
  const { t } = useI18n();
  const [gap, setGap] = useState(250);
  const [crossfade, setCrossfade] = useState(0);
  const [normalize, setNormalize] = useState(false);
  const [format, setFormat] = useState<string>("wav");
  const [status, setStatus] = useState("idle");
  const [error, setError] = useState<string | null>(null);
  const [audio, setAudio] = useState<{ url: string; version: number } | null>(null);
  const onMergedRef = useRef(onMerged);
  onMergedRef.current = onMerged;
  /** "Download" merged first: download once the merge is done. */
  const downloadWhenMerged = useRef(false);
  const mergeJob = useJob({
    onUpdate: (update) => setStatus(update.status),
    onDone: (update) => {
      if (update.status === "succeeded") {
        const url = resultAudioUrl(update.result) ?? `/api/generations/${generationId}/audio`;
        setAudio({ url, version: Date.now() });
        onMergedRef.current();
        if (downloadWhenMerged.current) download(url);
        downloadWhenMerged.current = false;
      } else {
        downloadWhenMerged.current = false;
        setError(update.error || statusText(update.status, t));
      }
    },
  });
  const resetJob = mergeJob.reset;

  // A new generation: forget the previous merge.
  useEffect(() => {
    setStatus("idle");
    setError(null);
    setAudio(null);
    downloadWhenMerged.current = false;
    return resetJob;
  }, [generationId, resetJob]);

  const running = status === "pending" || status === "running";

  const merge = async (thenDownload = false) => {
    downloadWhenMerged.current = thenDownload;
    setError(null);
    setStatus("pending");
    mergeJob.reset();
    try {
      const started = await api.post<JobAccepted>("/api/generate/merge-chunks", {
        task_id: generationId,
        gap_ms: gap,
        crossfade_ms: crossfade,
        normalize,
        format,
      });
      mergeJob.follow(started.task_id, started.status || "pending");
    } catch (err) {
      downloadWhenMerged.current = false;
      setStatus("failed");
      setError(errorMessage(err, t));
    }
  };

  const finalUrl = audio?.url ?? existingUrl;
  const version = audio?.version ?? 0;
  // A generation reopened with its merged file is merged, though no merge ran on this page.
  const shownStatus = status === "idle" && finalUrl ? "succeeded" : status;

  return (
    <section className="card merge-panel" data-testid="merge-panel">
      <header className="card-header">
        <div>
          <h2>{t("merge.title")}</h2>
          <p className="muted small">{t("merge.lead")}</p>
        </div>
        <span className={`chip chip-${shownStatus}`} data-testid="merge-status" data-status={shownStatus}>
          {shownStatus === "idle" ? t("merge.idle") : shownStatus === "succeeded" ? t("merge.merged") : statusText(shownStatus, t)}
        </span>
      </header>
      <div className="merge-form">
        <label className="field">
          <span>{t("merge.gap")}</span>
          <input
            type="number"
            className="input"
            data-testid="merge-gap"
            min={0}
            max={5000}
            step={50}
            value={gap}
            onChange={(e) => setGap(Math.max(0, Math.min(5000, Number(e.target.value) || 0)))}
          />
        </label>
        <label className="field">
          <span>{t("merge.crossfade")}</span>
          <input
            type="number"
            className="input"
            data-testid="merge-crossfade"
            min={0}
            max={1000}
            step={10}
            value={crossfade}
            onChange={(e) => setCrossfade(Math.max(0, Math.min(1000, Number(e.target.value) || 0)))}
          />
        </label>
        <label className="field">
          <span>{t("merge.format")}</span>
          <select className="input" data-testid="merge-format" value={format} onChange={(e) => setFormat(e.target.value)}>
            {FORMATS.map((item) => (
              <option key={item} value={item}>
                {item.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="filter-check merge-normalize">
          <input type="checkbox" data-testid="merge-normalize" checked={normalize} onChange={(e) => setNormalize(e.target.checked)} />
          <span>{t("merge.normalize")}</span>
        </label>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="merge-run"
          disabled={!ready || running}
          onClick={() => void merge()}
        >
          {running ? t("merge.running") : t("merge.run")}
        </button>
        {!finalUrl && (
          <button
            type="button"
            className="btn btn-secondary"
            data-testid="merge-download"
            disabled={!ready || running}
            title={t("merge.downloadHint")}
            onClick={() => void merge(true)}
          >
            {running && downloadWhenMerged.current ? t("merge.preparing") : t("merge.download")}
          </button>
        )}
      </div>
      {!ready && !finalUrl && <p className="muted small">{t("merge.notReady")}</p>}
      {ready && !finalUrl && <p className="muted small">{t("merge.downloadHint")}</p>}
      {error && (
        <p className="alert alert-error" role="alert" data-testid="merge-error">
          {error}
        </p>
      )}
      {finalUrl && (
        <div className="final-audio">
          <audio
            controls
            preload="metadata"
            data-testid="merge-audio"
            src={version ? withParam(finalUrl, "v", String(version)) : finalUrl}
          />
          <a className="btn btn-secondary" data-testid="merge-download" href={withParam(finalUrl, "download", "1")} download>
            {t("merge.download")}
          </a>
        </div>
      )}
    </section>
  );
}
