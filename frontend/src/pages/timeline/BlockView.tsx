import { memo, useEffect, useRef, type PointerEvent } from "react";
import type { TrackKind } from "../../timeline/api";
import { blockLength, type DragMode, type EditBlock } from "../../timeline/model";

/** Canvases wider than this are drawn at this size and stretched (browsers cap canvas sizes). */
const MAX_CANVAS_PX = 4096;
export const LANE_HEIGHT = 72;
const WAVE_HEIGHT = LANE_HEIGHT - 22;

const COLORS: Record<TrackKind, string> = {
  voice: "#6d4aff",
  music: "#0e9f6e",
  video: "#d98a00",
};

function drawWave(canvas: HTMLCanvasElement, block: EditBlock, kind: TrackKind, pxPerSecond: number) {
  const length = blockLength(block);
  const cssWidth = Math.max(1, length * pxPerSecond);
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  const width = Math.max(1, Math.min(MAX_CANVAS_PX, Math.round(cssWidth * ratio)));
  const height = Math.round(WAVE_HEIGHT * ratio);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.clearRect(0, 0, width, height);
  const mid = height / 2;
  const color = COLORS[kind];
  const secondsPerPx = length / width;
  const { peaks, peaks_per_second: rate } = block;
  ctx.fillStyle = color;
  if (peaks.length && rate > 0) {
    for (let x = 0; x < width; x += 1) {
      const t0 = block.in_point + x * secondsPerPx - block.peaksFrom;
      const t1 = t0 + secondsPerPx;
      let lo = Math.floor(t0 * rate);
      const hi = Math.max(lo + 1, Math.ceil(t1 * rate));
      if (hi <= 0 || lo >= peaks.length) continue; // trimmed out past what was loaded: no waveform there
      lo = Math.max(0, lo);
      let peak = 0;
      for (let i = lo; i < Math.min(hi, peaks.length); i += 1) peak = Math.max(peak, peaks[i]);
      const h = Math.max(ratio, peak * (height - 2 * ratio));
      ctx.fillRect(x, mid - h / 2, 1, h);
    }
  } else {
    ctx.fillRect(0, mid - ratio / 2, width, ratio);
  }
  // Fades: a shade over the part of the block they quieten.
  const fade = (seconds: number, fromLeft: boolean) => {
    if (seconds <= 0) return;
    const w = Math.min(width, (seconds / length) * width);
    ctx.beginPath();
    if (fromLeft) {
      ctx.moveTo(0, 0);
      ctx.lineTo(w, 0);
      ctx.lineTo(0, height);
    } else {
      ctx.moveTo(width, 0);
      ctx.lineTo(width - w, 0);
      ctx.lineTo(width, height);
    }
    ctx.closePath();
    ctx.fillStyle = "rgba(17, 19, 29, 0.18)";
    ctx.fill();
    ctx.beginPath();
    ctx.strokeStyle = "rgba(17, 19, 29, 0.55)";
    ctx.lineWidth = ratio;
    if (fromLeft) {
      ctx.moveTo(0, height);
      ctx.lineTo(w, 0);
    } else {
      ctx.moveTo(width - w, 0);
      ctx.lineTo(width, height);
    }
    ctx.stroke();
  };
  fade(block.fade_in, true);
  fade(block.fade_out, false);
}

interface Props {
  block: EditBlock;
  kind: TrackKind;
  pxPerSecond: number;
  selected: boolean;
  onPointerDown: (event: PointerEvent<HTMLElement>, block: EditBlock, mode: DragMode) => void;
}

export const BlockView = memo(function BlockView({ block, kind, pxPerSecond, selected, onPointerDown }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    if (canvas.current && !block.is_image && kind !== "video") drawWave(canvas.current, block, kind, pxPerSecond);
  }, [block, kind, pxPerSecond]);

  const width = Math.max(2, blockLength(block) * pxPerSecond);
  const name = block.label || block.source_name;
  return (
    <div
      className={`tl-block tl-block-${kind}${selected ? " selected" : ""}${block.mute ? " muted-block" : ""}`}
      style={{ left: block.start * pxPerSecond, width }}
      data-testid={`timeline-block-${block.id}`}
      data-start={block.start}
      data-in={block.in_point}
      data-out={block.out_point}
      data-selected={selected ? "true" : "false"}
      title={name}
      onPointerDown={(event) => onPointerDown(event, block, "move")}
    >
      <span className="tl-block-label">{name}</span>
      {block.is_image || kind === "video" ? (
        <span className="tl-block-picture" aria-hidden="true" />
      ) : (
        <canvas ref={canvas} className="tl-wave" />
      )}
      <span
        className="tl-handle tl-handle-start"
        data-testid={`timeline-trim-start-${block.id}`}
        onPointerDown={(event) => {
          event.stopPropagation();
          onPointerDown(event, block, "trim-start");
        }}
      />
      <span
        className="tl-handle tl-handle-end"
        data-testid={`timeline-trim-end-${block.id}`}
        onPointerDown={(event) => {
          event.stopPropagation();
          onPointerDown(event, block, "trim-end");
        }}
      />
    </div>
  );
});
