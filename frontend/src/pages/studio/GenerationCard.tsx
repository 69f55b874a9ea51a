/** The generation under way or opened: its progress, cancel, and its sentences with their takes. */
import type { Chunk, GenerationDetail, Voice } from "../../api";
import { ProgressBar } from "../../components/ProgressBar";
import { useT } from "../../i18n";
import { statusText } from "../../jobText";
import { jobErrorMessage } from "../../errors";
import { ChunkList, type RegenOptions, type RegenState } from "./ChunkList";
import type { JobState } from "./generation";
import { SubtitleDownload } from "./SubtitleDownload";
import { useGenerationWords } from "./useWords";

interface Props {
  generation: GenerationDetail;
  job: JobState | null;
  status: string;
  running: boolean;
  doneCount: number;
  total: number;
  percent: number | null;
  voices: Voice[];
  regen: Record<number, RegenState>;
  playingIndex: number | null;
  selectErrors: Record<number, string>;
  onCancel: () => void;
  onPlay: (chunk: Chunk) => void;
  onRegenerate: (chunk: Chunk, options: RegenOptions) => void;
  onSelectTake: (chunk: Chunk, take: number) => void;
}

export function GenerationCard({ generation, job, status, running, doneCount, total, percent, ...rest }: Props) {
  const t = useT();
  const words = useGenerationWords(generation, running);
  return (
    <section className="card generation" data-testid="studio-generation" data-generation={generation.id}>
      <header className="card-header">
        <div>
          <h2>{t("studio.chunksTitle")}</h2>
          <p className="muted small">{generation.title}</p>
        </div>
        {running && (
          <button type="button" className="btn btn-sm btn-secondary" data-testid="studio-cancel" disabled={job?.cancelRequested} onClick={rest.onCancel}>
            {job?.cancelRequested ? t("common.cancelling") : t("common.cancel")}
          </button>
        )}
      </header>
      <div className="gen-progress" data-testid="studio-progress" data-status={status}>
        <div className="gen-progress-head">
          <span className={`chip chip-${status}`}>{statusText(status, t)}</span>
          <span className="muted small">{t("studio.progress", { done: doneCount, total })}</span>
        </div>
        <ProgressBar value={running && percent === 0 && status === "pending" ? null : percent} label={t("studio.progressLabel")} />
        {job?.error && status === "failed" && <p className="alert alert-error small">{jobErrorMessage(job, t)}</p>}
      </div>
      <SubtitleDownload generationId={generation.id} words={words} />
      <ChunkList
        chunks={generation.chunks}
        voices={rest.voices}
        regen={rest.regen}
        playingIndex={rest.playingIndex}
        selectErrors={rest.selectErrors}
        locked={running}
        wordsOf={words.wordsOf}
        onPlay={rest.onPlay}
        onRegenerate={rest.onRegenerate}
        onSelectTake={rest.onSelectTake}
      />
    </section>
  );
}
