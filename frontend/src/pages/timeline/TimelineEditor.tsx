import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type PointerEvent } from "react";
import { Link } from "react-router";
import { errorMessage } from "../../errors";
import { useI18n } from "../../i18n";
import {
  importTrack,
  importVideo,
  LayoutConflictError,
  layoutSave,
  montageTimeline,
  type Layout,
  type TrackKind,
} from "../../timeline/api";
import {
  clamp,
  clock,
  dragBlock,
  findBlock,
  fitFades,
  fromLayout,
  GAIN_MAX,
  GAIN_MIN,
  GRID_STEPS,
  historyReducer,
  removeBlock,
  sameLayout,
  rulerStep,
  snapTargets,
  timelineEnd,
  toPayload,
  trackAudible,
  updateBlock,
  updateTrack,
  type DragMode,
  type EditBlock,
  type EditTrack,
} from "../../timeline/model";
import { TimelinePlayer } from "../../timeline/player";
import { BlockView, LANE_HEIGHT } from "./BlockView";
import { Inspector, NumberInput } from "./Inspector";
import { RenderPanel } from "./RenderPanel";

const MIN_PPS = 5;
const MAX_PPS = 400;
/** Pixels within which a dragged edge sticks to another block's edge. */
const SNAP_PX = 8;
/** Pixels a press must travel before it counts as a drag (a click only selects). */
const DRAG_SLOP_PX = 3;
const MERGE_MS = 1500;

interface Meta {
  id: string;
  task_id: string | null;
  montage_id: string | null;
  title: string;
  version: number;
  renders: Layout["renders"];
}

interface Drag {
  mode: DragMode;
  uid: string;
  x: number;
  orig: EditBlock;
  before: EditTrack[];
  targets: number[];
  moved: boolean;
}

function metaOf(layout: Layout): Meta {
  const { id, task_id, montage_id, title, version, renders } = layout;
  return { id, task_id, montage_id, title, version, renders };
}

function fitZoom(duration: number): number {
  return clamp(Math.round(800 / Math.max(duration, 1)), MIN_PPS, 200);
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.isContentEditable;
}

const KIND_KEYS = {
  voice: "timeline.kind.voice",
  music: "timeline.kind.music",
  video: "timeline.kind.video",
} as const satisfies Record<TrackKind, string>;

export function TimelineEditor({ initial }: { initial: Layout }) {
  const { t } = useI18n();
  const [meta, setMeta] = useState<Meta>(() => metaOf(initial));
  const metaRef = useRef(meta);
  metaRef.current = meta;
  const [history, dispatch] = useReducer(historyReducer, initial, (layout) => ({
    past: [],
    present: fromLayout(layout),
    future: [],
  }));
  const present = history.present;
  const presentRef = useRef(present);
  presentRef.current = present;
  const saved = useRef<EditTrack[]>(present);
  const dirty = useMemo(() => !sameLayout(present, saved.current), [present, saved.current]);

  const [pps, setPps] = useState(() => fitZoom(initial.duration));
  const [snap, setSnap] = useState(true);
  const [grid, setGrid] = useState(0.1);
  const [selected, setSelected] = useState<string | null>(null);
  const [position, setPosition] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [loadingAudio, setLoadingAudio] = useState(false);
  const [saving, setSaving] = useState(false);
  const [importing, setImporting] = useState<"audio" | "video" | null>(null);
  const [withAudio, setWithAudio] = useState(true);
  const [conflict, setConflict] = useState<Layout | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [view, setView] = useState({ left: 0, width: 1000 });

  const player = useMemo(() => new TimelinePlayer(), []);
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const playhead = useRef<HTMLDivElement>(null);
  const timeText = useRef<HTMLSpanElement>(null);
  const audioInput = useRef<HTMLInputElement>(null);
  const videoInput = useRef<HTMLInputElement>(null);
  const drag = useRef<Drag | null>(null);
  const lastMerge = useRef<{ key: string; at: number } | null>(null);

  const key = meta.task_id ?? meta.id;
  const end = useMemo(() => timelineEnd(present), [present]);
  const hasPicture = present.some((track) => track.kind === "video" && track.blocks.length > 0);
  const found = findBlock(present, selected);

  useEffect(() => () => player.close(), [player]);

  // ---- editing -----------------------------------------------------------------------------------

  const edit = useCallback((tracks: EditTrack[], merge?: string) => {
    const now = Date.now();
    const last = lastMerge.current;
    if (merge && last && last.key === merge && now - last.at < MERGE_MS) dispatch({ type: "preview", tracks });
    else dispatch({ type: "apply", tracks });
    lastMerge.current = merge ? { key: merge, at: now } : null;
  }, []);

  const undo = useCallback(() => {
    lastMerge.current = null;
    dispatch({ type: "undo" });
  }, []);
  const redo = useCallback(() => {
    lastMerge.current = null;
    dispatch({ type: "redo" });
  }, []);

  /** Take a layout from the server. `step`: as an undoable step; `reset`: forget the history; else replace quietly. */
  const adopt = useCallback((layout: Layout, how: "step" | "reset" | "replace") => {
    const tracks = fromLayout(layout);
    setMeta(metaOf(layout));
    saved.current = tracks;
    lastMerge.current = null;
    dispatch(how === "step" ? { type: "apply", tracks } : how === "reset" ? { type: "reset", tracks } : { type: "preview", tracks });
  }, []);

  const save = useCallback(
    async (versionOverride?: number): Promise<boolean> => {
      const sent = presentRef.current;
      setSaving(true);
      setError(null);
      try {
        const next = await layoutSave(key, versionOverride ?? metaRef.current.version, toPayload(sent));
        setConflict(null);
        if (presentRef.current === sent) {
          adopt(next, "replace");
        } else {
          // Edited while saving: keep the newer edits (still unsaved) and move to the saved version.
          setMeta(metaOf(next));
          saved.current = sent;
        }
        return true;
      } catch (err) {
        if (err instanceof LayoutConflictError) setConflict(err.layout);
        else setError(errorMessage(err, t));
        return false;
      } finally {
        setSaving(false);
      }
    },
    [adopt, key, t],
  );

  const loadTheirs = () => {
    if (!conflict) return;
    adopt(conflict, "reset");
    setConflict(null);
    setSelected(null);
  };

  const keepMine = () => {
    if (!conflict) return;
    const version = conflict.version;
    setMeta((prev) => ({ ...prev, version }));
    void save(version);
  };

  const rebuildMontage = async () => {
    if (!meta.montage_id || !window.confirm(t("timeline.montage.rebuildConfirm"))) return;
    setError(null);
    try {
      adopt(await montageTimeline(meta.montage_id, true), "reset");
      setSelected(null);
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };

  const doImport = async (what: "audio" | "video", file: File | undefined) => {
    if (!file) return;
    setError(null);
    setNotice(null);
    if (dirty && !(await save())) return;
    setImporting(what);
    try {
      const next = what === "audio" ? await importTrack(key, file, position) : await importVideo(key, file, withAudio);
      adopt(next, "step");
      setNotice(t("timeline.import.done", { name: file.name }));
    } catch (err) {
      if (err instanceof LayoutConflictError) setConflict(err.layout);
      else setError(errorMessage(err, t));
    } finally {
      setImporting(null);
      if (audioInput.current) audioInput.current.value = "";
      if (videoInput.current) videoInput.current.value = "";
    }
  };

  // ---- dragging ----------------------------------------------------------------------------------

  const live = useRef({ pps, snap, grid, position });
  live.current = { pps, snap, grid, position };

  const onBlockPointerDown = useCallback((event: PointerEvent<HTMLElement>, block: EditBlock, mode: DragMode) => {
    if (event.button !== 0) return;
    event.preventDefault();
    try {
      event.currentTarget.setPointerCapture(event.pointerId);
    } catch {
      // not supported: the window listeners still see the moves
    }
    setSelected(block.uid);
    const before = presentRef.current;
    drag.current = {
      mode,
      uid: block.uid,
      x: event.clientX,
      orig: block,
      before,
      targets: snapTargets(before, block.uid, live.current.position),
      moved: false,
    };
  }, []);

  useEffect(() => {
    const move = (event: globalThis.PointerEvent) => {
      const current = drag.current;
      if (!current) return;
      const px = event.clientX - current.x;
      if (!current.moved && Math.abs(px) < DRAG_SLOP_PX) return;
      current.moved = true;
      const { pps: scale, snap: snapOn, grid: step } = live.current;
      const next = dragBlock(current.orig, current.mode, px / scale, {
        enabled: snapOn,
        grid: step,
        targets: current.targets,
        threshold: SNAP_PX / scale,
      });
      dispatch({ type: "preview", tracks: updateBlock(current.before, current.uid, () => next) });
    };
    const up = () => {
      const current = drag.current;
      drag.current = null;
      if (current?.moved) {
        lastMerge.current = null;
        dispatch({ type: "commit", before: current.before });
      }
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", up);
    return () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      window.removeEventListener("pointercancel", up);
    };
  }, []);

  // ---- playback ----------------------------------------------------------------------------------

  const drawPlayhead = useCallback(
    (at: number) => {
      if (playhead.current) {
        playhead.current.style.transform = `translateX(${at * pps}px)`;
        playhead.current.dataset.position = at.toFixed(3);
      }
      if (timeText.current) timeText.current.textContent = clock(at);
    },
    [pps],
  );

  useEffect(() => {
    if (!playing) drawPlayhead(position);
  }, [drawPlayhead, playing, position]);

  const startPlayback = useCallback(
    async (from: number) => {
      setLoadingAudio(true);
      try {
        await player.play(presentRef.current, from);
      } catch (err) {
        setError(errorMessage(err, t));
      } finally {
        setLoadingAudio(false);
      }
      if (!player.playing) return;
      setPlaying(true);
      setNotice(player.failed.length ? t("timeline.play.failed", { names: player.failed.join(", ") }) : null);
    },
    [player, t],
  );

  const stopPlayback = useCallback(() => {
    const at = player.stop();
    setPlaying(false);
    setPosition(at);
  }, [player]);

  const togglePlay = useCallback(() => {
    if (player.playing || loadingAudio) {
      stopPlayback();
      return;
    }
    void startPlayback(position >= end - 0.01 ? 0 : position);
  }, [end, loadingAudio, player, position, startPlayback, stopPlayback]);

  const seek = useCallback(
    (at: number) => {
      const to = clamp(at, 0, Math.max(end, 0));
      if (player.playing) {
        player.stop();
        setPosition(to);
        void startPlayback(to);
      } else {
        setPosition(to);
      }
    },
    [end, player, startPlayback],
  );

  // The moving playhead (drawn straight into the DOM, not through React state).
  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    const tick = () => {
      const at = player.position();
      drawPlayhead(at);
      const box = scroller.current;
      if (box) {
        const x = at * live.current.pps;
        if (x > box.scrollLeft + box.clientWidth - 40 || x < box.scrollLeft) box.scrollLeft = Math.max(0, x - 80);
      }
      if (at >= end) {
        player.stop();
        setPlaying(false);
        setPosition(end);
        return;
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [drawPlayhead, end, player, playing]);

  // An edit while playing: play the new layout on from where the playhead is.
  const playedTracks = useRef(present);
  useEffect(() => {
    if (playedTracks.current === present) return;
    playedTracks.current = present;
    if (player.playing && !drag.current) void startPlayback(player.position());
  }, [player, present, startPlayback]);

  // ---- keyboard, leaving -------------------------------------------------------------------------

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const k = event.key.toLowerCase();
      if (mod && k === "z") {
        event.preventDefault();
        if (event.shiftKey) redo();
        else undo();
      } else if (mod && k === "y") {
        event.preventDefault();
        redo();
      } else if (mod && k === "s") {
        event.preventDefault();
        void save();
      } else if (event.key === " " && !mod) {
        event.preventDefault();
        togglePlay();
      } else if ((event.key === "Delete" || event.key === "Backspace") && selected) {
        event.preventDefault();
        edit(removeBlock(presentRef.current, selected));
        setSelected(null);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [edit, redo, save, selected, togglePlay, undo]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  // ---- the view ----------------------------------------------------------------------------------

  const onScroll = () => {
    const box = scroller.current;
    if (box) setView({ left: box.scrollLeft, width: box.clientWidth });
  };
  useEffect(() => {
    onScroll();
    const box = scroller.current;
    if (!box || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(onScroll);
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  const zoomTo = (next: number) => {
    const box = scroller.current;
    const centre = box ? (box.scrollLeft + box.clientWidth / 2) / pps : 0;
    setPps(next);
    requestAnimationFrame(() => {
      if (box) box.scrollLeft = Math.max(0, centre * next - box.clientWidth / 2);
      onScroll();
    });
  };

  /** Zoom so that the whole timeline fits the visible width. */
  const fit = () => {
    const box = scroller.current;
    if (!box) return;
    zoomTo(clamp(Math.floor((box.clientWidth - 24) / Math.max(end, 1)), MIN_PPS, MAX_PPS));
  };

  // Open with everything in view (up to a comfortable 200 px/s).
  useEffect(() => {
    const box = scroller.current;
    if (box && initial.duration > 0)
      setPps(clamp(Math.floor((box.clientWidth - 24) / initial.duration), MIN_PPS, 200));
  }, [initial.duration]);

  const totalSeconds = Math.max(end + Math.max(5, end * 0.1), view.width / pps);
  const width = Math.ceil(totalSeconds * pps);
  const step = rulerStep(pps);
  const ticks: number[] = [];
  const firstTick = Math.max(0, Math.floor((view.left - 100) / pps / step));
  const lastTick = Math.ceil((view.left + view.width + 100) / pps / step);
  for (let i = firstTick; i <= lastTick && ticks.length < 400; i += 1) ticks.push(i * step);

  const seekFromPointer = (event: PointerEvent<HTMLElement>) => {
    const box = content.current?.getBoundingClientRect();
    if (!box) return;
    seek((event.clientX - box.left) / pps);
  };

  const trackControls = (track: EditTrack) => {
    const audible = trackAudible(track, present);
    return (
      <div
        key={track.uid}
        className={`tl-track-head tl-kind-${track.kind}${audible || track.kind === "video" ? "" : " silent"}`}
        style={{ height: LANE_HEIGHT }}
        data-testid={`timeline-track-${track.id}`}
      >
        <div className="tl-track-title">
          <span className={`tl-dot tl-dot-${track.kind}`} aria-hidden="true" />
          <span className="strong tl-ellipsis" title={track.name}>
            {track.name}
          </span>
          <span className="muted small">{t(KIND_KEYS[track.kind])}</span>
          <button
            type="button"
            className="icon-btn icon-btn-danger tl-track-remove"
            data-testid={`timeline-track-remove-${track.id}`}
            title={t("timeline.track.remove")}
            aria-label={t("timeline.track.remove")}
            onClick={() => {
              if (track.blocks.length && !window.confirm(t("timeline.track.removeConfirm", { name: track.name }))) return;
              edit(presentRef.current.filter((item) => item.uid !== track.uid));
            }}
          >
            ×
          </button>
        </div>
        <div className="tl-track-controls">
          <button
            type="button"
            className={`tl-toggle${track.mute ? " on mute" : ""}`}
            data-testid={`timeline-track-mute-${track.id}`}
            aria-pressed={track.mute}
            title={track.kind === "video" ? t("timeline.track.hide") : t("timeline.track.mute")}
            onClick={() => edit(updateTrack(presentRef.current, track.uid, { mute: !track.mute }))}
          >
            M
          </button>
          {track.kind !== "video" && (
            <button
              type="button"
              className={`tl-toggle${track.solo ? " on solo" : ""}`}
              data-testid={`timeline-track-solo-${track.id}`}
              aria-pressed={track.solo}
              title={t("timeline.track.solo")}
              onClick={() => edit(updateTrack(presentRef.current, track.uid, { solo: !track.solo }))}
            >
              S
            </button>
          )}
          {track.kind !== "video" && (
            <label className="tl-track-gain" title={t("timeline.track.gain")}>
              <NumberInput
                value={track.gain_db}
                min={GAIN_MIN}
                max={GAIN_MAX}
                step={0.5}
                testId={`timeline-track-gain-${track.id}`}
                label={t("timeline.track.gain")}
                onChange={(value) => edit(updateTrack(presentRef.current, track.uid, { gain_db: value }), `${track.uid}:gain`)}
              />
              <span className="muted small">dB</span>
            </label>
          )}
        </div>
      </div>
    );
  };

  const backLink = meta.montage_id ? "/montages" : meta.task_id ? `/studio?generation=${encodeURIComponent(meta.task_id)}` : null;

  return (
    <div className="page page-wide tl-page" data-testid="timeline-editor" data-version={meta.version} data-dirty={dirty ? "true" : "false"}>
      <header className="page-header">
        <div>
          <h1 className="tl-title">
            {meta.title || t("nav.timeline")}
            <span className="chip chip-muted" data-testid="timeline-version">
              {t("timeline.version", { version: meta.version })}
            </span>
          </h1>
          <p className="lead">
            {meta.montage_id ? t("timeline.leadMontage") : t("timeline.leadGeneration")}{" "}
            {backLink && (
              <Link to={backLink} data-testid="timeline-back">
                {meta.montage_id ? t("timeline.backMontages") : t("timeline.backStudio")}
              </Link>
            )}
          </p>
        </div>
        <div className="page-header-side tl-save-side">
          <span className={`small ${dirty ? "bad-text" : "muted"}`} data-testid="timeline-save-state">
            {saving ? t("timeline.saving") : dirty ? t("timeline.unsaved") : t("timeline.saved")}
          </span>
          <div className="row-actions">
            <Link className="btn btn-secondary" to="/timeline" data-testid="timeline-open-other">
              {t("timeline.openOther")}
            </Link>
            <button
              type="button"
              className="btn btn-primary"
              data-testid="timeline-save"
              disabled={saving || !dirty}
              onClick={() => void save()}
            >
              {t("timeline.save")}
            </button>
          </div>
        </div>
      </header>

      {conflict && (
        <div className="alert alert-warn tl-conflict" role="alert" data-testid="timeline-conflict">
          <span>{t("timeline.conflict", { version: conflict.version })}</span>
          <div className="row-actions">
            <button type="button" className="btn btn-sm btn-secondary" data-testid="timeline-conflict-theirs" onClick={loadTheirs}>
              {t("timeline.conflict.theirs")}
            </button>
            <button type="button" className="btn btn-sm btn-secondary" data-testid="timeline-conflict-mine" onClick={keepMine}>
              {t("timeline.conflict.mine")}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="alert alert-error" role="alert" data-testid="timeline-error">
          {error}
        </p>
      )}
      {notice && (
        <p className="alert alert-success" data-testid="timeline-notice">
          {notice}
        </p>
      )}

      <section className="card tl-card">
        <div className="tl-toolbar">
          <div className="tl-group">
            <button
              type="button"
              className={`btn ${playing ? "btn-secondary" : "btn-primary"} tl-play`}
              data-testid="timeline-play"
              data-state={playing ? "playing" : loadingAudio ? "loading" : "stopped"}
              onClick={togglePlay}
              disabled={end <= 0}
            >
              {loadingAudio ? <span className="spinner spinner-sm" aria-hidden="true" /> : <PlayIcon playing={playing} />}
              {playing ? t("timeline.pause") : t("timeline.play")}
            </button>
            <button
              type="button"
              className="btn btn-secondary tl-icon-btn"
              data-testid="timeline-to-start"
              title={t("timeline.toStart")}
              aria-label={t("timeline.toStart")}
              onClick={() => seek(0)}
            >
              <svg className="icon icon-sm" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
                <path d="M6 5h2.5v14H6zM19 5v14L9 12z" />
              </svg>
            </button>
            <span className="tl-time" data-testid="timeline-time">
              <span ref={timeText}>{clock(position)}</span>
              <span className="muted"> / {clock(end)}</span>
            </span>
          </div>
          <div className="tl-group">
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              data-testid="timeline-undo"
              disabled={!history.past.length}
              title="Ctrl+Z"
              onClick={undo}
            >
              ↶ {t("timeline.undo")}
            </button>
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              data-testid="timeline-redo"
              disabled={!history.future.length}
              title="Ctrl+Shift+Z"
              onClick={redo}
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
              value={pps}
              onChange={(event) => zoomTo(Number(event.target.value))}
            />
            <span className="muted small tl-zoom-value">{t("timeline.pps", { value: pps })}</span>
            <button type="button" className="btn btn-secondary btn-sm" data-testid="timeline-fit" onClick={fit}>
              {t("timeline.fit")}
            </button>
          </label>
          <div className="tl-group">
            <label className="filter-check">
              <input type="checkbox" data-testid="timeline-snap" checked={snap} onChange={(e) => setSnap(e.target.checked)} />
              <span>{t("timeline.snap")}</span>
            </label>
            <select
              className="input tl-grid-select"
              data-testid="timeline-grid"
              aria-label={t("timeline.grid")}
              value={grid}
              disabled={!snap}
              onChange={(event) => setGrid(Number(event.target.value))}
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
              onChange={(event) => void doImport("audio", event.target.files?.[0])}
            />
            <input
              ref={videoInput}
              type="file"
              accept="video/*,image/*"
              hidden
              data-testid="timeline-import-video-file"
              onChange={(event) => void doImport("video", event.target.files?.[0])}
            />
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              data-testid="timeline-import-audio"
              disabled={importing !== null}
              title={t("timeline.import.audioHint")}
              onClick={() => audioInput.current?.click()}
            >
              {importing === "audio" ? <span className="spinner spinner-sm" aria-hidden="true" /> : "+"} {t("timeline.import.audio")}
            </button>
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              data-testid="timeline-import-video"
              disabled={importing !== null}
              onClick={() => videoInput.current?.click()}
            >
              {importing === "video" ? <span className="spinner spinner-sm" aria-hidden="true" /> : "+"} {t("timeline.import.video")}
            </button>
            <label className="filter-check small" title={t("timeline.import.withAudioHint")}>
              <input
                type="checkbox"
                data-testid="timeline-import-with-audio"
                checked={withAudio}
                onChange={(event) => setWithAudio(event.target.checked)}
              />
              <span>{t("timeline.import.withAudio")}</span>
            </label>
          </div>
        </div>

        <div className="tl-body">
          <div className="tl-heads">
            <div className="tl-ruler-head muted small">{t("timeline.tracks", { count: present.length })}</div>
            {present.map(trackControls)}
          </div>
          <div className="tl-scroll" ref={scroller} onScroll={onScroll} data-testid="timeline-scroll">
            <div className="tl-content" ref={content} style={{ width }} data-pps={pps}>
              <div className="tl-ruler" data-testid="timeline-ruler" onPointerDown={seekFromPointer}>
                {ticks.map((tick) => (
                  <span key={tick} className="tl-tick" style={{ left: tick * pps }}>
                    {clock(tick).replace(/\.00$/, "")}
                  </span>
                ))}
              </div>
              {present.map((track) => (
                <div
                  key={track.uid}
                  className={`tl-lane tl-lane-${track.kind}${trackAudible(track, present) || track.kind === "video" ? "" : " silent"}`}
                  style={{ height: LANE_HEIGHT }}
                  data-testid={`timeline-lane-${track.id}`}
                  onPointerDown={(event) => {
                    if (event.target !== event.currentTarget) return;
                    setSelected(null);
                    seekFromPointer(event);
                  }}
                >
                  {track.blocks.map((block) => (
                    <BlockView
                      key={block.uid}
                      block={block}
                      kind={track.kind}
                      pxPerSecond={pps}
                      selected={block.uid === selected}
                      onPointerDown={onBlockPointerDown}
                    />
                  ))}
                </div>
              ))}
              {present.length === 0 && <p className="muted tl-empty">{t("timeline.noTracks")}</p>}
              <div className="tl-playhead" ref={playhead} data-testid="timeline-playhead" aria-hidden="true" />
            </div>
          </div>
        </div>
        <p className="muted small tl-hint">{t("timeline.hint")}</p>
      </section>

      <div className="grid grid-2">
        {found ? (
          <Inspector
            track={found.track}
            block={found.block}
            onChange={(block, merge) => edit(updateBlock(presentRef.current, block.uid, () => fitFades(block)), merge)}
            onRemove={() => {
              edit(removeBlock(presentRef.current, found.block.uid));
              setSelected(null);
            }}
          />
        ) : (
          <section className="card tl-inspector tl-inspector-empty" data-testid="timeline-inspector-empty">
            <h2>{t("timeline.block.title")}</h2>
            <p className="muted">{t("timeline.block.none")}</p>
            {meta.montage_id && (
              <button type="button" className="btn btn-secondary btn-sm" data-testid="timeline-rebuild" onClick={() => void rebuildMontage()}>
                {t("timeline.montage.rebuild")}
              </button>
            )}
          </section>
        )}
        <RenderPanel timelineKey={key} hasPicture={hasPicture} dirty={dirty} renders={meta.renders} save={() => save()} />
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
