/** The editor's model of a layout: pure functions for editing, snapping, saving and the undo history. */
import type { Layout, LayoutBlock, LayoutTrack, LayoutTrackIn } from "./api";

export interface EditBlock extends LayoutBlock {
  /** Stable React key. */
  uid: string;
  /** The `in_point` the peaks were cut from (trims move it; peaks stay where they were loaded). */
  peaksFrom: number;
}

export interface EditTrack extends Omit<LayoutTrack, "blocks"> {
  uid: string;
  blocks: EditBlock[];
}

/** The shortest block a trim leaves. */
export const MIN_BLOCK_SECONDS = 0.05;
export const GAIN_MIN = -60;
export const GAIN_MAX = 24;
export const GRID_STEPS = [0, 0.1, 0.25, 0.5, 1, 5] as const;

export function fromLayout(layout: Layout): EditTrack[] {
  return layout.tracks.map((track) => ({
    ...track,
    uid: `t${track.id}`,
    blocks: track.blocks.map((block) => ({ ...block, uid: `b${block.id}`, peaksFrom: block.in_point })),
  }));
}

export function blockLength(block: Pick<LayoutBlock, "in_point" | "out_point">): number {
  return block.out_point - block.in_point;
}

export function blockEnd(block: Pick<LayoutBlock, "start" | "in_point" | "out_point">): number {
  return block.start + block.out_point - block.in_point;
}

export function timelineEnd(tracks: EditTrack[]): number {
  let end = 0;
  for (const track of tracks) for (const block of track.blocks) end = Math.max(end, blockEnd(block));
  return end;
}

/** Milliseconds are plenty: keeps saved numbers short and stable. */
export function ms(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

export function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

/** Fades that fit the block (they share it in proportion when together longer). */
export function fitFades(block: EditBlock): EditBlock {
  const length = blockLength(block);
  let fadeIn = Math.max(0, block.fade_in);
  let fadeOut = Math.max(0, block.fade_out);
  if (fadeIn + fadeOut > length) {
    const scale = length / (fadeIn + fadeOut);
    fadeIn = Math.floor(fadeIn * scale * 1000) / 1000;
    fadeOut = Math.floor(fadeOut * scale * 1000) / 1000;
  }
  return fadeIn === block.fade_in && fadeOut === block.fade_out ? block : { ...block, fade_in: fadeIn, fade_out: fadeOut };
}

export function toPayload(tracks: EditTrack[]): LayoutTrackIn[] {
  return tracks.map((track) => ({
    id: track.id,
    kind: track.kind,
    name: track.name,
    gain_db: track.gain_db,
    mute: track.mute,
    solo: track.solo,
    blocks: track.blocks.map((block) => ({
      id: block.id,
      source: block.source,
      start: block.start,
      in_point: block.in_point,
      out_point: block.out_point,
      gain_db: block.gain_db,
      fade_in: block.fade_in,
      fade_out: block.fade_out,
      mute: block.mute,
      label: block.label,
    })),
  }));
}

/** Whether two layouts would save the same (identity short-cuts keep this cheap during drags). */
export function sameLayout(a: EditTrack[], b: EditTrack[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((ta, i) => {
    const tb = b[i];
    if (ta === tb) return true;
    if (ta.id !== tb.id || ta.kind !== tb.kind || ta.name !== tb.name || ta.gain_db !== tb.gain_db) return false;
    if (ta.mute !== tb.mute || ta.solo !== tb.solo || ta.blocks.length !== tb.blocks.length) return false;
    return ta.blocks.every((x, j) => {
      const y = tb.blocks[j];
      return (
        x === y ||
        (x.id === y.id &&
          x.source.kind === y.source.kind &&
          x.source.id === y.source.id &&
          x.start === y.start &&
          x.in_point === y.in_point &&
          x.out_point === y.out_point &&
          x.gain_db === y.gain_db &&
          x.fade_in === y.fade_in &&
          x.fade_out === y.fade_out &&
          x.mute === y.mute &&
          x.label === y.label)
      );
    });
  });
}

/** Whether a track is heard: not muted, and soloed when any sound track is. */
export function trackAudible(track: EditTrack, tracks: EditTrack[]): boolean {
  if (track.kind === "video" || track.mute) return false;
  const soloed = tracks.some((t) => t.kind !== "video" && t.solo);
  return !soloed || track.solo;
}

export function updateTrack(tracks: EditTrack[], trackUid: string, change: Partial<EditTrack>): EditTrack[] {
  return tracks.map((track) => (track.uid === trackUid ? { ...track, ...change } : track));
}

export function updateBlock(tracks: EditTrack[], blockUid: string, change: (block: EditBlock) => EditBlock): EditTrack[] {
  return tracks.map((track) =>
    track.blocks.some((b) => b.uid === blockUid)
      ? { ...track, blocks: track.blocks.map((b) => (b.uid === blockUid ? change(b) : b)) }
      : track,
  );
}

export function removeBlock(tracks: EditTrack[], blockUid: string): EditTrack[] {
  return tracks.map((track) =>
    track.blocks.some((b) => b.uid === blockUid) ? { ...track, blocks: track.blocks.filter((b) => b.uid !== blockUid) } : track,
  );
}

export function findBlock(tracks: EditTrack[], blockUid: string | null): { track: EditTrack; block: EditBlock } | null {
  if (!blockUid) return null;
  for (const track of tracks) {
    const block = track.blocks.find((b) => b.uid === blockUid);
    if (block) return { track, block };
  }
  return null;
}

/** Edges a moving edge may stick to: every other block's start and end, zero and the playhead. */
export function snapTargets(tracks: EditTrack[], exceptUid: string, playhead: number): number[] {
  const targets = [0, playhead];
  for (const track of tracks)
    for (const block of track.blocks) if (block.uid !== exceptUid) targets.push(block.start, blockEnd(block));
  return targets;
}

export interface SnapOptions {
  enabled: boolean;
  grid: number;
  targets: number[];
  /** Seconds within which an edge sticks to a target. */
  threshold: number;
}

/** The shift to apply so that one of `edges` lands on a target edge (nearest first) or on the grid. */
export function snapShift(edges: number[], options: SnapOptions): number {
  if (!options.enabled) return 0;
  let best: number | null = null;
  for (const edge of edges)
    for (const target of options.targets) {
      const shift = target - edge;
      if (Math.abs(shift) <= options.threshold && (best === null || Math.abs(shift) < Math.abs(best))) best = shift;
    }
  if (best !== null) return best;
  if (options.grid > 0 && edges.length) return Math.round(edges[0] / options.grid) * options.grid - edges[0];
  return 0;
}

export type DragMode = "move" | "trim-start" | "trim-end";

/** The block after dragging it by `delta` seconds from `orig` (clamped to the source and to time zero). */
export function dragBlock(orig: EditBlock, mode: DragMode, delta: number, snap: SnapOptions): EditBlock {
  if (mode === "move") {
    let start = Math.max(0, orig.start + delta);
    start += snapShift([start, start + blockLength(orig)], snap);
    return { ...orig, start: ms(Math.max(0, start)) };
  }
  if (mode === "trim-start") {
    const lowest = Math.max(-orig.in_point, -orig.start);
    const highest = blockLength(orig) - MIN_BLOCK_SECONDS;
    let shift = clamp(delta, lowest, highest);
    shift = clamp(shift + snapShift([orig.start + shift], snap), lowest, highest);
    const inPoint = ms(orig.in_point + shift);
    const start = ms(orig.start + (inPoint - orig.in_point));
    return fitFades({ ...orig, start: Math.max(0, start), in_point: Math.max(0, inPoint) });
  }
  const lowest = orig.in_point + MIN_BLOCK_SECONDS;
  const highest = orig.source_duration;
  let out = clamp(orig.out_point + delta, lowest, highest);
  out = clamp(out + snapShift([orig.start + out - orig.in_point], snap), lowest, highest);
  return fitFades({ ...orig, out_point: Math.min(highest, ms(out)) });
}

/** A grid step that gives ticks at least ~70 px apart at this zoom. */
export function rulerStep(pxPerSecond: number): number {
  for (const step of [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600]) if (step * pxPerSecond >= 70) return step;
  return 1200;
}

export function clock(seconds: number): string {
  const value = Math.max(0, seconds);
  const m = Math.floor(value / 60);
  const s = value - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, "0")}`;
}

// ---- undo / redo ----------------------------------------------------------------------------------

export interface History {
  past: EditTrack[][];
  present: EditTrack[];
  future: EditTrack[][];
}

export type HistoryAction =
  | { type: "apply"; tracks: EditTrack[] }
  | { type: "preview"; tracks: EditTrack[] }
  | { type: "commit"; before: EditTrack[] }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "reset"; tracks: EditTrack[] };

const HISTORY_LIMIT = 200;

/** `apply` is one undoable step; `preview` changes the present during a drag and `commit` makes it one step. */
export function historyReducer(state: History, action: HistoryAction): History {
  switch (action.type) {
    case "apply":
      if (action.tracks === state.present) return state;
      return { past: [...state.past, state.present].slice(-HISTORY_LIMIT), present: action.tracks, future: [] };
    case "preview":
      return { ...state, present: action.tracks };
    case "commit":
      if (action.before === state.present) return state;
      return { past: [...state.past, action.before].slice(-HISTORY_LIMIT), present: state.present, future: [] };
    case "undo": {
      if (!state.past.length) return state;
      const previous = state.past[state.past.length - 1];
      return { past: state.past.slice(0, -1), present: previous, future: [state.present, ...state.future] };
    }
    case "redo": {
      if (!state.future.length) return state;
      const [next, ...rest] = state.future;
      return { past: [...state.past, state.present], present: next, future: rest };
    }
    case "reset":
      return { past: [], present: action.tracks, future: [] };
  }
}
