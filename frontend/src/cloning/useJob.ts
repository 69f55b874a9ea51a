/** Follow one background job from a page: status, percent, message, error and the final result. */
import { useCallback, useEffect, useRef, useState } from "react";
import { watchJob, type JobUpdate } from "../jobs";
import { useSocket } from "../ws";

export interface JobView {
  taskId: string;
  status: string;
  /** 0–100, or null while unknown. */
  percent: number | null;
  progress: number | null;
  total: number | null;
  message: string | null;
  error: string | null;
  result: unknown;
  terminal: boolean;
}

function percentOf(update: JobUpdate): number | null {
  if (update.status === "succeeded") return 100;
  if (typeof update.progress === "number" && typeof update.total === "number" && update.total > 0) {
    return Math.min(100, Math.max(0, (update.progress / update.total) * 100));
  }
  return null;
}

export function useJob(onDone?: (job: JobView) => void) {
  const socket = useSocket();
  const [job, setJob] = useState<JobView | null>(null);
  const stopRef = useRef<(() => void) | null>(null);
  const doneRef = useRef(onDone);
  doneRef.current = onDone;

  useEffect(() => () => stopRef.current?.(), []);

  const follow = useCallback(
    (taskId: string, initialStatus = "pending") => {
      stopRef.current?.();
      const first: JobView = {
        taskId,
        status: initialStatus,
        percent: null,
        progress: null,
        total: null,
        message: null,
        error: null,
        result: undefined,
        terminal: false,
      };
      setJob(first);
      stopRef.current = watchJob(socket, taskId, (update) => {
        const next: JobView = {
          taskId,
          status: update.status,
          percent: percentOf(update),
          progress: update.progress,
          total: update.total,
          message: update.message,
          error: update.error,
          result: update.result,
          terminal: update.terminal,
        };
        setJob((prev) => (prev && prev.taskId !== taskId ? prev : { ...next, percent: next.percent ?? prev?.percent ?? null }));
        if (update.terminal) doneRef.current?.(next);
      });
    },
    [socket],
  );

  const reset = useCallback(() => {
    stopRef.current?.();
    stopRef.current = null;
    setJob(null);
  }, []);

  const running = job !== null && !job.terminal;
  return { job, running, follow, reset };
}
