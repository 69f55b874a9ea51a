/** Regenerating single sentences of the Studio's generation, several at once, each followed to its end. */
import { useEffect, useRef, useState, type RefObject } from "react";
import { api, type Chunk, type JobAccepted } from "../../api";
import { errorMessage } from "../../errors";
import { useT } from "../../i18n";
import { waitForJob } from "../../jobs";
import { useSocket } from "../../ws";
import { statusText } from "../../jobText";
import type { RegenOptions, RegenState } from "./ChunkList";

export function useRegenerations(generationIdRef: RefObject<string | null>, refresh: (id: string) => Promise<void>) {
  const t = useT();
  const socket = useSocket();
  const [regen, setRegen] = useState<Record<number, RegenState>>({});
  const aborts = useRef(new Map<string, AbortController>());

  const stopAll = () => {
    aborts.current.forEach((controller) => controller.abort());
    aborts.current.clear();
  };
  useEffect(() => stopAll, []);

  /** Forget every regeneration (a new generation is shown). */
  const clear = () => {
    stopAll();
    setRegen({});
  };

  const regenerate = async (generationId: string, chunk: Chunk, options: RegenOptions) => {
    const index = chunk.index;
    setRegen((prev) => ({ ...prev, [index]: { taskId: null, status: "pending", error: null } }));
    let taskId: string;
    try {
      const started = await api.post<JobAccepted>("/api/generate/regenerate-chunk", { task_id: generationId, index, ...options });
      taskId = started.task_id;
      setRegen((prev) => ({ ...prev, [index]: { taskId, status: started.status || "pending", error: null } }));
    } catch (err) {
      setRegen((prev) => ({ ...prev, [index]: { taskId: null, status: "failed", error: errorMessage(err, t) } }));
      return;
    }
    const controller = new AbortController();
    aborts.current.set(taskId, controller);
    let final;
    try {
      final = await waitForJob(socket, taskId, controller.signal);
    } catch {
      return; // stopped: another generation is shown
    } finally {
      aborts.current.delete(taskId);
    }
    if (generationIdRef.current !== generationId) return;
    if (final.status === "succeeded") {
      setRegen((prev) => {
        const next = { ...prev };
        delete next[index];
        return next;
      });
    } else {
      setRegen((prev) => ({ ...prev, [index]: { taskId, status: final.status, error: final.error || statusText(final.status, t) } }));
    }
    void refresh(generationId);
  };

  return { regen, regenerate, clear };
}
