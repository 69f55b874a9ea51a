/** The Studio's generation: open one (?generation=), start one, follow it live, cancel it, pick takes. */
import { useCallback, useEffect, useRef, useState } from "react";
import { api, TERMINAL_STATUSES, type Chunk, type GenerationDetail, type Job, type JobAccepted } from "../../api";
import { errorMessage } from "../../errors";
import { useT } from "../../i18n";
import { useJob, type JobView } from "../../jobs";
import { useSocketReconnect } from "../../ws";
import { statusRank, type JobState } from "./generation";

const REFRESH_DEBOUNCE_MS = 400;
const ACTIVE_REFRESH_MS = 4000;

/** `onOpened` runs for a generation opened from its id (History), to fill the editor from it. */
export function useGeneration(wantedGeneration: string | null, onOpened: (detail: GenerationDetail) => void) {
  const t = useT();
  const [generation, setGeneration] = useState<GenerationDetail | null>(null);
  const [job, setJob] = useState<JobState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selectErrors, setSelectErrors] = useState<Record<number, string>>({});
  const generationId = generation?.id ?? null;
  /** The generation shown (set before its details arrive, so late answers for another one are dropped). */
  const generationIdRef = useRef<string | null>(null);
  const ownStart = useRef<string | null>(null);
  const refreshTimer = useRef<number | undefined>(undefined);
  const openedRef = useRef(onOpened);
  openedRef.current = onOpened;

  useEffect(() => () => window.clearTimeout(refreshTimer.current), []);

  const refresh = useCallback(
    async (id: string) => {
      try {
        const detail = await api.get<GenerationDetail>(`/api/generations/${encodeURIComponent(id)}`);
        if (generationIdRef.current !== id) return;
        setGeneration((prev) => {
          if (!prev || prev.id !== id) return detail;
          // An event may have announced a chunk the (older) answer doesn't know yet.
          const chunks = detail.chunks.map((chunk) => {
            const local = prev.chunks.find((c) => c.index === chunk.index);
            return local && local.status === "done" && chunk.status === "pending" ? local : chunk;
          });
          return { ...detail, chunks };
        });
        // Only move forward (pending → running → an end): an older answer must not undo an event.
        setJob((prev) => {
          if (!prev) {
            return { status: detail.status, progress: detail.progress, total: detail.total, error: detail.error, cancelRequested: false };
          }
          if (statusRank(detail.status) <= statusRank(prev.status)) return prev;
          return { ...prev, status: detail.status, progress: detail.progress, total: detail.total, error: detail.error };
        });
      } catch (err) {
        if (generationIdRef.current === id) setLoadError(errorMessage(err, t));
      }
    },
    [t],
  );

  const refreshSoon = useCallback(
    (id: string) => {
      window.clearTimeout(refreshTimer.current);
      refreshTimer.current = window.setTimeout(() => void refresh(id), REFRESH_DEBOUNCE_MS);
    },
    [refresh],
  );

  // Open ?generation=<id> (from History), unless it is the one this page just started.
  useEffect(() => {
    if (!wantedGeneration || wantedGeneration === generationIdRef.current || wantedGeneration === ownStart.current) return;
    let alive = true;
    setLoadError(null);
    api
      .get<GenerationDetail>(`/api/generations/${encodeURIComponent(wantedGeneration)}`)
      .then((detail) => {
        if (!alive) return;
        generationIdRef.current = detail.id;
        setGeneration(detail);
        setSelectErrors({});
        setJob({ status: detail.status, progress: detail.progress, total: detail.total, error: detail.error, cancelRequested: false });
        openedRef.current(detail);
      })
      .catch((err: unknown) => alive && setLoadError(errorMessage(err, t)));
    return () => {
      alive = false;
    };
  }, [wantedGeneration, t]);

  // Follow the running generation: live chunk events, plus a slow refresh in case events are missed.
  const onUpdate = (update: JobView) => {
    const id = update.taskId;
    if (generationIdRef.current !== id) return;
    setJob((prev) => ({
      status: update.status,
      progress: update.progress ?? prev?.progress ?? null,
      total: update.total ?? prev?.total ?? null,
      error: update.error ?? prev?.error ?? null,
      errorCode: update.errorCode ?? prev?.errorCode ?? null,
      cancelRequested: prev?.cancelRequested ?? false,
    }));
    if (update.chunkIndex !== null) {
      const index = update.chunkIndex;
      setGeneration((prev) =>
        prev && prev.id === id
          ? {
              ...prev,
              chunks: prev.chunks.map((chunk) =>
                chunk.index === index
                  ? { ...chunk, status: "done", audio_url: update.chunkUrl ?? chunk.audio_url, selected_take: chunk.selected_take ?? 1 }
                  : chunk,
              ),
            }
          : prev,
      );
      refreshSoon(id);
    }
    if (update.terminal) void refresh(id);
  };
  const { follow, reset } = useJob({ onUpdate });
  const active = generationId !== null && job !== null && !TERMINAL_STATUSES.has(job.status);
  useEffect(() => {
    if (!active || !generationId) return;
    follow(generationId);
    const timer = window.setInterval(() => void refresh(generationId), ACTIVE_REFRESH_MS);
    return () => {
      reset();
      window.clearInterval(timer);
    };
  }, [active, generationId, follow, reset, refresh]);

  useSocketReconnect(() => {
    if (generationIdRef.current) void refresh(generationIdRef.current);
  });

  /** Starts a generation; throws what the server answered (the caller shows it). */
  const start = async (url: string, body: Record<string, unknown>): Promise<string> => {
    setLoadError(null);
    const started = await api.post<JobAccepted>(url, body);
    const id = started.task_id;
    ownStart.current = id;
    setSelectErrors({});
    generationIdRef.current = id;
    setJob({ status: started.status || "pending", progress: 0, total: null, error: null, cancelRequested: false });
    return id;
  };

  const cancel = async (onError: (message: string) => void) => {
    if (!generationId) return;
    setJob((prev) => (prev ? { ...prev, cancelRequested: true } : prev));
    try {
      const answer = await api.post<Job>("/api/generation/cancel", { task_id: generationId });
      if (TERMINAL_STATUSES.has(answer.status)) {
        setJob((prev) => (prev ? { ...prev, status: answer.status } : prev));
        void refresh(generationId);
      }
    } catch (err) {
      setJob((prev) => (prev ? { ...prev, cancelRequested: false } : prev));
      onError(errorMessage(err, t));
    }
  };

  const selectTake = async (chunk: Chunk, take: number) => {
    const id = generationId;
    if (!id || !Number.isInteger(take) || take < 1) return;
    setSelectErrors((prev) => {
      const next = { ...prev };
      delete next[chunk.index];
      return next;
    });
    // Show the choice at once; the server's answer confirms it.
    setGeneration((prev) =>
      prev && prev.id === id
        ? { ...prev, chunks: prev.chunks.map((c) => (c.index === chunk.index ? { ...c, selected_take: take } : c)) }
        : prev,
    );
    try {
      const updated = await api.post<Chunk>(`/api/generations/${encodeURIComponent(id)}/chunks/${chunk.index}/select`, { take });
      setGeneration((prev) =>
        prev && prev.id === id
          ? { ...prev, chunks: prev.chunks.map((c) => (c.index === updated.index ? { ...c, ...updated } : c)) }
          : prev,
      );
    } catch (err) {
      setSelectErrors((prev) => ({ ...prev, [chunk.index]: errorMessage(err, t) }));
      void refresh(id);
    }
  };

  return { generation, generationIdRef, job, loadError, selectErrors, refresh, start, cancel, selectTake };
}
