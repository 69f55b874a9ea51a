/** "Download subtitles" for a generation: SRT or WebVTT, once every word is timed (the alignment runs first when
 * the engine did not time them). */
import { useState } from "react";
import { apiBlob } from "../../api";
import { errorMessage } from "../../errors";
import { useT } from "../../i18n";
import type { GenerationWords } from "./useWords";

const FORMATS = [
  { fmt: "srt", label: "subtitles.srt", title: "subtitles.srtTitle" },
  { fmt: "vtt", label: "subtitles.vtt", title: "subtitles.vttTitle" },
] as const;

async function save(url: string, fallback: string): Promise<void> {
  const answer = await apiBlob("GET", url);
  const href = URL.createObjectURL(answer.blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = answer.name ?? fallback;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

export function SubtitleDownload({ generationId, words }: { generationId: string; words: GenerationWords }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = async (fmt: string) => {
    setBusy(true);
    setError(null);
    try {
      if (!(await words.ensure())) return; // at once when every word is timed; else after the alignment
      await save(`/api/generations/${generationId}/subtitles.${fmt}`, `subtitles.${fmt}`);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const failed = error ?? (words.state === "failed" ? words.error : null);
  return (
    <div className="subtitle-download" data-testid="subtitle-download" data-state={words.state}>
      <span className="muted small">{t("subtitles.download")}</span>
      {FORMATS.map(({ fmt, label, title }) => (
        <button
          key={fmt}
          type="button"
          className="btn btn-sm btn-secondary"
          data-testid={`subtitle-download-${fmt}`}
          title={words.spoken ? t(title) : t("subtitles.notReady")}
          disabled={!words.spoken || busy}
          onClick={() => void download(fmt)}
        >
          {t(label)}
        </button>
      ))}
      {words.state === "aligning" && (
        <span className="muted small" data-testid="subtitle-aligning">
          <span className="spinner spinner-sm" aria-hidden="true" /> {t("subtitles.aligning")}
        </span>
      )}
      {failed && (
        <p className="alert alert-error small" role="alert">
          {t("subtitles.failed", { error: failed })}
        </p>
      )}
    </div>
  );
}
