/** The layout being edited: its undo history, what is saved, saving (with version conflicts), imports. */
import { useCallback, useMemo, useReducer, useRef, useState } from "react";
import { errorMessage } from "../../errors";
import { useT } from "../../i18n";
import { importTrack, importVideo, LayoutConflictError, layoutSave, montageTimeline, type Layout } from "../../timeline/api";
import { fromLayout, historyReducer, sameLayout, toPayload, type EditTrack } from "../../timeline/model";

const MERGE_MS = 1500;

export interface Meta {
  id: string;
  task_id: string | null;
  montage_id: string | null;
  title: string;
  version: number;
  renders: Layout["renders"];
}

function metaOf(layout: Layout): Meta {
  const { id, task_id, montage_id, title, version, renders } = layout;
  return { id, task_id, montage_id, title, version, renders };
}

export function useLayoutDocument(initial: Layout) {
  const t = useT();
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
  const lastMerge = useRef<{ key: string; at: number } | null>(null);
  const [saving, setSaving] = useState(false);
  const [importing, setImporting] = useState<"audio" | "video" | null>(null);
  const [conflict, setConflict] = useState<Layout | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const key = meta.task_id ?? meta.id;

  /** An undoable edit; edits with the same `merge` key in quick succession make one step. */
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

  /** Show `tracks` while dragging (no history step yet). */
  const preview = useCallback((tracks: EditTrack[]) => dispatch({ type: "preview", tracks }), []);
  /** The drag is over: one history step from `before`. */
  const commit = useCallback((before: EditTrack[]) => {
    lastMerge.current = null;
    dispatch({ type: "commit", before });
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

  /** Drop local edits for the server's layout of a conflict. */
  const loadTheirs = (): boolean => {
    if (!conflict) return false;
    adopt(conflict, "reset");
    setConflict(null);
    return true;
  };

  /** Save local edits over the server's layout of a conflict. */
  const keepMine = () => {
    if (!conflict) return;
    const version = conflict.version;
    setMeta((prev) => ({ ...prev, version }));
    void save(version);
  };

  const rebuildMontage = async (): Promise<boolean> => {
    if (!meta.montage_id || !window.confirm(t("timeline.montage.rebuildConfirm"))) return false;
    setError(null);
    try {
      adopt(await montageTimeline(meta.montage_id, true), "reset");
      return true;
    } catch (err) {
      setError(errorMessage(err, t));
      return false;
    }
  };

  const doImport = async (what: "audio" | "video", file: File | undefined, at: number, withAudio: boolean) => {
    if (!file) return;
    setError(null);
    setNotice(null);
    if (dirty && !(await save())) return;
    setImporting(what);
    try {
      const next = what === "audio" ? await importTrack(key, file, at) : await importVideo(key, file, withAudio);
      adopt(next, "step");
      setNotice(t("timeline.import.done", { name: file.name }));
    } catch (err) {
      if (err instanceof LayoutConflictError) setConflict(err.layout);
      else setError(errorMessage(err, t));
    } finally {
      setImporting(null);
    }
  };

  return {
    key, meta, history, present, presentRef, dirty, saving, importing, conflict, error, setError, notice, setNotice,
    edit, undo, redo, preview, commit, save, loadTheirs, keepMine, rebuildMontage, doImport,
  };
}
