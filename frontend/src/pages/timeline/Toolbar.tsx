/** The timeline editor's toolbar: play, undo/redo, zoom, snapping, imports. */
import { useRef, type RefObject } from "react";
import { useT } from "../../i18n";
import { clock, GRID_STEPS } from "../../timeline/model";

export const MIN_PPS = 5;
export const MAX_PPS = 400;

interface Props {
  playing: boolean;
  loadingAudio: boolean;
  position: number;
  end: number;
  timeText: RefObject<HTMLSpanElement | null>;
  onTogglePlay: () => void;
  onSeek: (at: number) => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  pps: number;
  onZoom: (pps: number) => void;
  onFit: () => void;
  snap: boolean;
  onSnap: (on: boolean) => void;
  grid: number;
  onGrid: (step: number) => void;
  importing: "audio" | "video" | null;
  withAudio: boolean;
  onWithAudio: (on: boolean) => void;
  /** Resolves when the import is over (the file input is cleared then). */
  onImport: (what: "audio" | "video", file: File | undefined) => Promise<void>;
}

export function Toolbar(p: Props) {
  const t = useT();
  const audioInput = useRef<HTMLInputElement>(null);
  const videoInput = useRef<HTMLInputElement>(null);
  const pick = (what: "audio" | "video", input: HTMLInputElement) => {
    void p.onImport(what, input.files?.[0]).finally(() => {
      input.value = "";
    });
  };
  return (
    <div className="tl-toolbar">
      <div className="tl-group">
        <button
          type="button"
          className={`btn ${p.playing ? "btn-secondary" : "btn-primary"} tl-play`}
          data-testid="timeline-play"
          data-state={p.playing ? "playing" : p.loadingAudio ? "loading" : "stopped"}
          onClick={p.onTogglePlay}
          disabled={p.end <= 0}
        >
          {p.loadingAudio ? <span className="spinner spinner-sm" aria-hidden="true" /> : <PlayIcon playing={p.playing} />}
          {p.playing ? t("timeline.pause") : t("timeline.play")}
        </button>
        <button
          type="button"
          className="btn btn-secondary tl-icon-btn"
          data-testid="timeline-to-start"
          title={t("timeline.toStart")}
          aria-label={t("timeline.toStart")}
          onClick={() => p.onSeek(0)}
        >
          <svg className="icon icon-sm" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
            <path d="M6 5h2.5v14H6zM19 5v14L9 12z" />
          </svg>
        </button>
        <span className="tl-time" data-testid="timeline-time">
          <span ref={p.timeText}>{clock(p.position)}</span>
          <span className="muted"> / {clock(p.end)}</span>
        </span>
      </div>
      <div className="tl-group">
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          data-testid="timeline-undo"
          disabled={!p.canUndo}
          title="Ctrl+Z"
          onClick={p.onUndo}
        >
          ↶ {t("timeline.undo")}
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          data-testid="timeline-redo"
          disabled={!p.canRedo}
          title="Ctrl+Shift+Z"
          onClick={p.onRedo}
        >
          ↷ {t("timeline.redo")}
        </button>
      </div>
      <label className="tl-group tl-zoom">
        <span className="small strong">{t("timeline.zoom")}</span>
        <input
          type="range"
          data-testid="timeline-zoom"
          min={MIN_PPS}
          max={MAX_PPS}
          step={1}
          value={p.pps}
          onChange={(event) => p.onZoom(Number(event.target.value))}
        />
        <span className="muted small tl-zoom-value">{t("timeline.pps", { value: p.pps })}</span>
        <button type="button" className="btn btn-secondary btn-sm" data-testid="timeline-fit" onClick={p.onFit}>
          {t("timeline.fit")}
        </button>
      </label>
      <div className="tl-group">
        <label className="filter-check">
          <input type="checkbox" data-testid="timeline-snap" checked={p.snap} onChange={(e) => p.onSnap(e.target.checked)} />
          <span>{t("timeline.snap")}</span>
        </label>
        <select
          className="input tl-grid-select"
          data-testid="timeline-grid"
          aria-label={t("timeline.grid")}
          value={p.grid}
          disabled={!p.snap}
          onChange={(event) => p.onGrid(Number(event.target.value))}
        >
          {GRID_STEPS.map((item) => (
            <option key={item} value={item}>
              {item === 0 ? t("timeline.gridOff") : t("timeline.gridStep", { seconds: item })}
            </option>
          ))}
        </select>
      </div>
      <div className="tl-group">
        <input
          ref={audioInput}
          type="file"
          accept="audio/*,video/*,.wav,.mp3,.flac,.ogg,.m4a"
          hidden
          data-testid="timeline-import-audio-file"
          onChange={(event) => pick("audio", event.target)}
        />
        <input
          ref={videoInput}
          type="file"
          accept="video/*,image/*"
          hidden
          data-testid="timeline-import-video-file"
          onChange={(event) => pick("video", event.target)}
        />
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          data-testid="timeline-import-audio"
          disabled={p.importing !== null}
          title={t("timeline.import.audioHint")}
          onClick={() => audioInput.current?.click()}
        >
          {p.importing === "audio" ? <span className="spinner spinner-sm" aria-hidden="true" /> : "+"} {t("timeline.import.audio")}
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          data-testid="timeline-import-video"
          disabled={p.importing !== null}
          onClick={() => videoInput.current?.click()}
        >
          {p.importing === "video" ? <span className="spinner spinner-sm" aria-hidden="true" /> : "+"} {t("timeline.import.video")}
        </button>
        <label className="filter-check small" title={t("timeline.import.withAudioHint")}>
          <input
            type="checkbox"
            data-testid="timeline-import-with-audio"
            checked={p.withAudio}
            onChange={(event) => p.onWithAudio(event.target.checked)}
          />
          <span>{t("timeline.import.withAudio")}</span>
        </label>
      </div>
    </div>
  );
}

function PlayIcon({ playing }: { playing: boolean }) {
  return (
    <svg className="icon icon-sm" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
      {playing ? <path d="M7 5h4v14H7zM13 5h4v14h-4z" /> : <path d="M7 4.5v15l12-7.5z" />}
    </svg>
  );
}
