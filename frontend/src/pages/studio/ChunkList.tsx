import { useState } from "react";
import type { Chunk, Voice } from "../../api";
import { PlayGlyph } from "../../components/SamplePlayer";
import { formatSeconds } from "../../format";
import { useI18n } from "../../i18n";
import { baseLanguage, languageName } from "../../voices";
import type { TakeWord } from "./useWords";
import { VoicePicker } from "./VoicePicker";
import { SpokenText } from "./WordHighlight";

export interface RegenState {
  taskId: string | null;
  status: string;
  error: string | null;
}

export interface RegenOptions {
  text?: string;
  voice_id?: string;
  seed?: number | null;
}

interface RowProps {
  chunk: Chunk;
  voices: Voice[];
  regen: RegenState | undefined;
  playing: boolean;
  selectError: string | null;
  locked: boolean;
  words: TakeWord[] | null;
  onPlay: (chunk: Chunk) => void;
  onRegenerate: (chunk: Chunk, options: RegenOptions) => void;
  onSelectTake: (chunk: Chunk, take: number) => void;
}

function ChunkStatusChip({ status }: { status: string }) {
  const { t } = useI18n();
  const label = status === "done" ? t("chunk.done") : status === "failed" ? t("chunk.failed") : t("chunk.pending");
  return <span className={`chip chip-chunk-${status}`}>{label}</span>;
}

function ChunkRow({ chunk, voices, regen, playing, selectError, locked, words, onPlay, onRegenerate, onSelectTake }: RowProps) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(chunk.text);
  const [voiceId, setVoiceId] = useState("");
  const [seed, setSeed] = useState("");
  const regenerating = regen !== undefined && !regen.error && !["succeeded", "failed", "cancelled"].includes(regen.status);
  const canPlay = chunk.status === "done" || chunk.selected_take !== null;
  const takes = [...chunk.takes].sort((a, b) => a.number - b.number);

  const regenerate = () => {
    const options: RegenOptions = {};
    if (open) {
      const edited = text.trim();
      if (edited && edited !== chunk.text) options.text = edited;
      if (voiceId) options.voice_id = voiceId;
      if (seed.trim() !== "" && Number.isInteger(Number(seed))) options.seed = Number(seed);
    }
    onRegenerate(chunk, options);
  };

  return (
    <li
      className={`chunk chunk-${chunk.status}${playing ? " playing" : ""}`}
      data-testid={`chunk-${chunk.index}`}
      data-status={chunk.status}
      data-regenerating={regenerating ? "true" : "false"}
      data-take={chunk.selected_take ?? ""}
    >
      <div className="chunk-main">
        <span className="chunk-index">{chunk.index + 1}</span>
        <button
          type="button"
          className={`play-btn${playing ? " on" : ""}`}
          data-testid={`chunk-play-${chunk.index}`}
          aria-label={playing ? t("chunk.stop") : t("chunk.play")}
          title={playing ? t("chunk.stop") : t("chunk.play")}
          disabled={!canPlay}
          onClick={() => onPlay(chunk)}
        >
          <PlayGlyph playing={playing} />
        </button>
        <div className="chunk-body">
          <SpokenText text={chunk.text} words={words} playing={playing} testId={`chunk-spoken-${chunk.index}`} />
          <div className="chunk-meta muted small">
            {chunk.speaker && <span className="chip chip-speaker">{chunk.speaker}</span>}
            {chunk.voice_name && <span>{chunk.voice_name}</span>}
            {chunk.language && <span>· {languageName(baseLanguage(chunk.language), locale)}</span>}
            {takes.length > 0 && (
              <span>
                · {formatSeconds((takes.find((x) => x.number === chunk.selected_take) ?? takes[takes.length - 1]).duration, t, locale)}
              </span>
            )}
          </div>
          {chunk.status === "failed" && chunk.error && <p className="alert alert-error small">{chunk.error}</p>}
          {regen?.error && (
            <p className="alert alert-error small" role="alert">
              {regen.error}
            </p>
          )}
          {selectError && (
            <p className="alert alert-error small" role="alert">
              {selectError}
            </p>
          )}
        </div>
        <div className="chunk-side">
          <ChunkStatusChip status={chunk.status} />
          {regenerating && (
            <span className="chip chip-running">
              <span className="spinner spinner-sm" aria-hidden="true" /> {t("chunk.regenerating")}
            </span>
          )}
          <label className="take-select">
            <span className="visually-hidden">{t("chunk.take")}</span>
            <select
              data-testid={`chunk-take-${chunk.index}`}
              value={chunk.selected_take ?? ""}
              disabled={takes.length === 0 || regenerating}
              onChange={(event) => onSelectTake(chunk, Number(event.target.value))}
            >
              {takes.length === 0 && <option value="">{t("chunk.noTakes")}</option>}
              {takes.map((take) => (
                <option key={take.number} value={take.number}>
                  {t("chunk.takeN", { n: take.number })}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="icon-btn"
            data-testid={`chunk-options-${chunk.index}`}
            aria-expanded={open}
            title={t("chunk.options")}
            aria-label={t("chunk.options")}
            onClick={() => setOpen((prev) => !prev)}
          >
            ⋯
          </button>
          <button
            type="button"
            className="btn btn-sm btn-secondary"
            data-testid={`chunk-regenerate-${chunk.index}`}
            disabled={regenerating || (locked && chunk.status !== "done")}
            onClick={regenerate}
          >
            {t("chunk.regenerate")}
          </button>
        </div>
      </div>
      {open && (
        <div className="chunk-options">
          <label className="field field-grow">
            <span>{t("chunk.editText")}</span>
            <textarea data-testid={`chunk-text-${chunk.index}`} rows={2} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <div className="form-row">
            <label className="field field-grow">
              <span>{t("chunk.otherVoice")}</span>
              <VoicePicker
                voices={voices}
                value={voiceId}
                onChange={setVoiceId}
                testId={`chunk-voice-${chunk.index}`}
                label={t("chunk.otherVoice")}
                emptyLabel={t("chunk.sameVoice")}
                compact
              />
            </label>
            <label className="field">
              <span>{t("studio.seed")}</span>
              <input
                className="input seed-input"
                data-testid={`chunk-seed-${chunk.index}`}
                inputMode="numeric"
                value={seed}
                placeholder={t("studio.seedRandom")}
                onChange={(e) => setSeed(e.target.value.replace(/[^0-9]/g, ""))}
              />
            </label>
          </div>
          <p className="muted small">{t("chunk.optionsHint")}</p>
        </div>
      )}
    </li>
  );
}

interface Props {
  chunks: Chunk[];
  voices: Voice[];
  regen: Record<number, RegenState>;
  playingIndex: number | null;
  selectErrors: Record<number, string>;
  locked: boolean;
  /** The words of a sentence's selected take, when timed (the word being spoken is highlighted). */
  wordsOf?: (chunk: Chunk) => TakeWord[] | null;
  onPlay: (chunk: Chunk) => void;
  onRegenerate: (chunk: Chunk, options: RegenOptions) => void;
  onSelectTake: (chunk: Chunk, take: number) => void;
}

export function ChunkList({ chunks, voices, regen, playingIndex, selectErrors, locked, wordsOf, onPlay, onRegenerate, onSelectTake }: Props) {
  return (
    <ol className="chunks" data-testid="chunk-list">
      {chunks.map((chunk) => (
        <ChunkRow
          key={chunk.index}
          chunk={chunk}
          voices={voices}
          regen={regen[chunk.index]}
          playing={playingIndex === chunk.index}
          selectError={selectErrors[chunk.index] ?? null}
          locked={locked}
          words={wordsOf?.(chunk) ?? null}
          onPlay={onPlay}
          onRegenerate={onRegenerate}
          onSelectTake={onSelectTake}
        />
      ))}
    </ol>
  );
}
