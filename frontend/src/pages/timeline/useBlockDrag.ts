/** Dragging a block (move, trim either edge) with snapping; one undo step per drag. */
import { useCallback, useEffect, useRef, type PointerEvent, type RefObject } from "react";
import { dragBlock, snapTargets, updateBlock, type DragMode, type EditBlock, type EditTrack } from "../../timeline/model";

/** Pixels within which a dragged edge sticks to another block's edge. */
const SNAP_PX = 8;
/** Pixels a press must travel before it counts as a drag (a click only selects). */
const DRAG_SLOP_PX = 3;

interface Drag {
  mode: DragMode;
  uid: string;
  x: number;
  orig: EditBlock;
  before: EditTrack[];
  targets: number[];
  moved: boolean;
}

export interface DragSettings {
  pps: number;
  snap: boolean;
  grid: number;
  position: number;
}

interface Options {
  tracks: RefObject<EditTrack[]>;
  settings: RefObject<DragSettings>;
  onSelect: (uid: string) => void;
  preview: (tracks: EditTrack[]) => void;
  commit: (before: EditTrack[]) => void;
}

export function useBlockDrag({ tracks, settings, onSelect, preview, commit }: Options) {
  const drag = useRef<Drag | null>(null);
  const handlers = useRef({ onSelect, preview, commit });
  handlers.current = { onSelect, preview, commit };

  const onBlockPointerDown = useCallback(
    (event: PointerEvent<HTMLElement>, block: EditBlock, mode: DragMode) => {
      if (event.button !== 0) return;
      event.preventDefault();
      try {
        event.currentTarget.setPointerCapture(event.pointerId);
      } catch {
        // not supported: the window listeners still see the moves
      }
      handlers.current.onSelect(block.uid);
      const before = tracks.current;
      drag.current = {
        mode,
        uid: block.uid,
        x: event.clientX,
        orig: block,
        before,
        targets: snapTargets(before, block.uid, settings.current.position),
        moved: false,
      };
    },
    [tracks, settings],
  );

  useEffect(() => {
    const move = (event: globalThis.PointerEvent) => {
      const current = drag.current;
      if (!current) return;
      const px = event.clientX - current.x;
      if (!current.moved && Math.abs(px) < DRAG_SLOP_PX) return;
      current.moved = true;
      const { pps: scale, snap: snapOn, grid: step } = settings.current;
      const next = dragBlock(current.orig, current.mode, px / scale, {
        enabled: snapOn,
        grid: step,
        targets: current.targets,
        threshold: SNAP_PX / scale,
      });
      handlers.current.preview(updateBlock(current.before, current.uid, () => next));
    };
    const up = () => {
      const current = drag.current;
      drag.current = null;
      if (current?.moved) handlers.current.commit(current.before);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", up);
    return () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      window.removeEventListener("pointercancel", up);
    };
  }, [settings]);

  /** True while a block is being dragged. */
  const dragging = useCallback(() => drag.current !== null, []);
  return { onBlockPointerDown, dragging };
}
