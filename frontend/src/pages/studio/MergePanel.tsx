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
  const mergeJob = useJob({
    onUpdate: (update) => setStatus(update.status),
    onDone: (update) => {
      if (update.status === "succeeded") {
        const url = resultAudioUrl(update.result) ?? `/api/generations/${generationId}/audio`;
        setAudio({ url, version: Date.now() });
        onMergedRef.current();
      } else {
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
    return resetJob;
  }, [generationId, resetJob]);

  const running = status === "pending" || status === "running";

  const merge = async () => {
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
      setStatus("failed");
      setError(errorMessage(err, t));
    }
  };

  const finalUrl = audio?.url ?? existingUrl;
  const version = audio?.version ?? 0;

  return (
    <section className="card merge-panel" data-testid="merge-panel">
      <header className="card-header">
        <div>
          <h2>{t("merge.title")}</h2>
          <p className="muted small">{t("merge.lead")}</p>
        </div>
        <span className={`chip chip-${status}`} data-testid="merge-status" data-status={status}>
          {status === "idle" ? t("merge.idle") : statusText(status, t)}
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
      </div>
      {!ready && <p className="muted small">{t("merge.notReady")}</p>}
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
