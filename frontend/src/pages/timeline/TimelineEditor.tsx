import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent } from "react";
import { errorMessage } from "../../errors";
import { useI18n } from "../../i18n";
import type { Layout } from "../../timeline/api";
import { clamp, clock, findBlock, fitFades, removeBlock, rulerStep, timelineEnd, trackAudible, updateBlock } from "../../timeline/model";
import { TimelinePlayer } from "../../timeline/player";
import { BlockView, LANE_HEIGHT } from "./BlockView";
import { EditorHeader } from "./EditorHeader";
import { Inspector } from "./Inspector";
import { RenderPanel } from "./RenderPanel";
import { Toolbar, MAX_PPS, MIN_PPS } from "./Toolbar";
import { TrackHead } from "./TrackHead";
import { useBlockDrag, type DragSettings } from "./useBlockDrag";
import { useLayoutDocument } from "./useLayoutDocument";

function fitZoom(duration: number): number {
  return clamp(Math.round(800 / Math.max(duration, 1)), MIN_PPS, 200);
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.isContentEditable;
}

export function TimelineEditor({ initial }: { initial: Layout }) {
  const { t } = useI18n();
  const doc = useLayoutDocument(initial);
  const { meta, present } = doc;

  const [pps, setPps] = useState(() => fitZoom(initial.duration));
  const [snap, setSnap] = useState(true);
  const [grid, setGrid] = useState(0.1);
  const [selected, setSelected] = useState<string | null>(null);
  const [position, setPosition] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [loadingAudio, setLoadingAudio] = useState(false);
  const [withAudio, setWithAudio] = useState(true);
  const [view, setView] = useState({ left: 0, width: 1000 });

  const player = useMemo(() => new TimelinePlayer(), []);
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const playhead = useRef<HTMLDivElement>(null);
  const timeText = useRef<HTMLSpanElement>(null);

  const end = useMemo(() => timelineEnd(present), [present]);
  const hasPicture = present.some((track) => track.kind === "video" && track.blocks.length > 0);
  const found = findBlock(present, selected);

  useEffect(() => () => player.close(), [player]);

  // ---- dragging ----------------------------------------------------------------------------------

  const live = useRef<DragSettings>({ pps, snap, grid, position });
  live.current = { pps, snap, grid, position };
  const { onBlockPointerDown, dragging } = useBlockDrag({
    tracks: doc.presentRef,
    settings: live,
    onSelect: setSelected,
    preview: doc.preview,
    commit: doc.commit,
  });

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
        await player.play(doc.presentRef.current, from);
      } catch (err) {
        doc.setError(errorMessage(err, t));
      } finally {
        setLoadingAudio(false);
      }
      if (!player.playing) return;
      setPlaying(true);
      doc.setNotice(player.failed.length ? t("timeline.play.failed", { names: player.failed.join(", ") }) : null);
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
    if (player.playing && !dragging()) void startPlayback(player.position());
  }, [player, present, startPlayback]);

  // ---- keyboard, leaving -------------------------------------------------------------------------

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const k = event.key.toLowerCase();
      if (mod && k === "z") {
        event.preventDefault();
        if (event.shiftKey) doc.redo();
        else doc.undo();
      } else if (mod && k === "y") {
        event.preventDefault();
        doc.redo();
      } else if (mod && k === "s") {
        event.preventDefault();
        void doc.save();
      } else if (event.key === " " && !mod) {
        event.preventDefault();
        togglePlay();
      } else if ((event.key === "Delete" || event.key === "Backspace") && selected) {
        event.preventDefault();
        doc.edit(removeBlock(doc.presentRef.current, selected));
        setSelected(null);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [doc.edit, doc.redo, doc.save, doc.undo, doc.presentRef, selected, togglePlay]);

  useEffect(() => {
    if (!doc.dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [doc.dirty]);

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

  return (
    <div className="page page-wide tl-page" data-testid="timeline-editor" data-version={meta.version} data-dirty={doc.dirty ? "true" : "false"}>
      <EditorHeader
        meta={meta}
        dirty={doc.dirty}
        saving={doc.saving}
        onSave={() => void doc.save()}
        conflict={doc.conflict}
        onTheirs={() => doc.loadTheirs() && setSelected(null)}
        onMine={doc.keepMine}
        error={doc.error}
        notice={doc.notice}
      />

      <section className="card tl-card">
        <Toolbar
          playing={playing}
          loadingAudio={loadingAudio}
          position={position}
          end={end}
          timeText={timeText}
          onTogglePlay={togglePlay}
          onSeek={seek}
          canUndo={doc.history.past.length > 0}
          canRedo={doc.history.future.length > 0}
          onUndo={doc.undo}
          onRedo={doc.redo}
          pps={pps}
          onZoom={zoomTo}
          onFit={fit}
          snap={snap}
          onSnap={setSnap}
          grid={grid}
          onGrid={setGrid}
          importing={doc.importing}
          withAudio={withAudio}
          onWithAudio={setWithAudio}
          onImport={(what, file) => doc.doImport(what, file, position, withAudio)}
        />

        <div className="tl-body">
          <div className="tl-heads">
            <div className="tl-ruler-head muted small">{t("timeline.tracks", { count: present.length })}</div>
            {present.map((track) => (
              <TrackHead key={track.uid} track={track} tracks={doc.presentRef} edit={doc.edit} />
            ))}
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
            onChange={(block, merge) => doc.edit(updateBlock(doc.presentRef.current, block.uid, () => fitFades(block)), merge)}
            onRemove={() => {
              doc.edit(removeBlock(doc.presentRef.current, found.block.uid));
              setSelected(null);
            }}
          />
        ) : (
          <section className="card tl-inspector tl-inspector-empty" data-testid="timeline-inspector-empty">
            <h2>{t("timeline.block.title")}</h2>
            <p className="muted">{t("timeline.block.none")}</p>
            {meta.montage_id && (
              <button type="button" className="btn btn-secondary btn-sm" data-testid="timeline-rebuild" onClick={() => void doc.rebuildMontage().then((done) => done && setSelected(null))}>
                {t("timeline.montage.rebuild")}
              </button>
            )}
          </section>
        )}
        <RenderPanel timelineKey={doc.key} hasPicture={hasPicture} dirty={doc.dirty} renders={meta.renders} save={() => doc.save()} />
      </div>
    </div>
  );
}
