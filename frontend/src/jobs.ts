/**
 * Following background jobs. `useJob` is the one way a page follows a job: live `job.*` events from
 * /ws, with polling as a safety net; `waitForJob` is the same machinery as a promise, for code outside
 * components. `useJobEvents` hears every job event of the user (list pages refresh on them).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type Job } from "./api";
import { isJobEvent, isTerminalStatus, TERMINAL_EVENTS, type JobEvent } from "./events";
import { useSocket, useSocketMessages, type LiveSocket } from "./ws";

/** A job as a page sees it. */
export interface JobView {
  taskId: string;
  status: string;
  /** 0–100, or null while unknown. */
  percent: number | null;
  progress: number | null;
  total: number | null;
  message: string | null;
  error: string | null;
  /** What failed, as a code (see `jobErrorMessage`). */
  errorCode: string | null;
  result: unknown;
  /** Set on `job.progress` events of chunked jobs. */
  chunkIndex: number | null;
  chunkUrl: string | null;
  /** The stage running now, for jobs of named stages (a dub); kept from the last event that named one. */
  stage: string | null;
  /** True when the update came from the socket, false from a poll. */
  live: boolean;
  terminal: boolean;
}

const FIRST_POLL_MS = 800;
const POLL_MS = 2500;

function percentOf(status: string, progress: number | null, total: number | null): number | null {
  if (status === "succeeded") return 100;
  if (typeof progress === "number" && typeof total === "number" && total > 0) {
    return Math.min(100, Math.max(0, (progress / total) * 100));
  }
  return null;
}

function fromEvent(taskId: string, event: JobEvent): JobView {
  const terminalStatus = TERMINAL_EVENTS[event.type];
  const status = terminalStatus && !isTerminalStatus(event.status) ? terminalStatus : event.status || "running";
  const progress = event.progress ?? null;
  const total = event.total ?? null;
  return {
    taskId,
    status,
    percent: percentOf(status, progress, total),
    progress,
    total,
    message: event.message ?? null,
    result: event.type === "job.finished" ? event.result : undefined,
    error: event.type === "job.failed" && typeof event.error === "string" ? event.error : null,
    errorCode: event.type === "job.failed" && typeof event.error_code === "string" ? event.error_code : null,
    chunkIndex: event.type === "job.progress" && typeof event.chunk_index === "number" ? event.chunk_index : null,
    chunkUrl: event.type === "job.progress" && typeof event.chunk_url === "string" ? event.chunk_url : null,
    stage: event.type === "job.progress" && typeof event.stage === "string" ? event.stage : null,
    live: true,
    terminal: Boolean(terminalStatus) || isTerminalStatus(status),
  };
}

function fromJob(job: Job): JobView {
  return {
    taskId: job.task_id,
    status: job.status,
    percent: percentOf(job.status, job.progress, job.total),
    progress: job.progress,
    total: job.total,
    message: job.message,
    result: job.result,
    error: job.error,
    errorCode: job.error_code || null,
    chunkIndex: null,
    chunkUrl: null,
    stage: null,
    live: false,
    terminal: isTerminalStatus(job.status),
  };
}

/**
 * Calls `onUpdate` for each change of the job until it ends (the terminal update comes exactly once).
 * Returns a function that stops watching. The machinery under `useJob` and `waitForJob`.
 */
function watch(socket: LiveSocket, taskId: string, onUpdate: (update: JobView) => void): () => void {
  let done = false;
  let lastStatus = "";
  let timer: number | undefined;

  const deliver = (update: JobView) => {
    if (done) return;
    if (update.terminal) {
      done = true;
      stop();
    }
    lastStatus = update.status;
    onUpdate(update);
  };

  const removeListener = socket.addMessageListener((message) => {
    if (!isJobEvent(message)) return;
    const event = message as JobEvent;
    if ((event.task_id ?? event.job_id) !== taskId) return;
    const update = fromEvent(taskId, event);
    if (update.terminal && update.status === "succeeded" && update.result === undefined) {
      // Some events carry no result: read the finished job once.
      void poll(true);
      return;
    }
    deliver(update);
  });

  const poll = async (force = false) => {
    if (done) return;
    try {
      const update = fromJob(await api.get<Job>(`/api/jobs/${encodeURIComponent(taskId)}`));
      if (force || update.terminal || update.status !== lastStatus) deliver(update);
    } catch {
      // A missed poll is fine: the next one (or an event) catches up.
    }
    schedule(POLL_MS);
  };

  const schedule = (ms: number) => {
    if (done) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void poll(), ms);
  };

  const stop = () => {
    window.clearTimeout(timer);
    removeListener();
  };

  schedule(FIRST_POLL_MS);
  return () => {
    done = true;
    stop();
  };
}

/** Resolves with the final update of the job (whatever its status); rejects only when aborted. */
export function waitForJob(socket: LiveSocket, taskId: string, signal?: AbortSignal): Promise<JobView> {
  return new Promise((resolve, reject) => {
    const stop = watch(socket, taskId, (update) => {
      if (update.terminal) resolve(update);
    });
    signal?.addEventListener("abort", () => {
      stop();
      reject(new DOMException("aborted", "AbortError"));
    });
  });
}

export interface JobHandlers {
  /** Every update, terminal included. */
  onUpdate?: (job: JobView) => void;
  /** The terminal update, once. */
  onDone?: (job: JobView) => void;
}

/**
 * Follow one job from a component: `follow(taskId)` starts (and replaces the job followed before),
 * `reset()` stops and forgets. Stops on unmount.
 */
export function useJob(handlers: JobHandlers | ((job: JobView) => void) = {}) {
  const socket = useSocket();
  const [job, setJob] = useState<JobView | null>(null);
  const stopRef = useRef<(() => void) | null>(null);
  const handlersRef = useRef<JobHandlers>({});
  handlersRef.current = typeof handlers === "function" ? { onDone: handlers } : handlers;

  useEffect(() => () => stopRef.current?.(), []);

  const follow = useCallback(
    (taskId: string, initialStatus = "pending") => {
      stopRef.current?.();
      setJob({
        taskId,
        status: initialStatus,
        percent: null,
        progress: null,
        total: null,
        message: null,
        error: null,
        errorCode: null,
        result: undefined,
        chunkIndex: null,
        chunkUrl: null,
        stage: null,
        live: false,
        terminal: isTerminalStatus(initialStatus),
      });
      stopRef.current = watch(socket, taskId, (update) => {
        setJob((prev) =>
          prev && prev.taskId !== taskId
            ? prev
            : { ...update, percent: update.percent ?? prev?.percent ?? null, stage: update.stage ?? prev?.stage ?? null },
        );
        handlersRef.current.onUpdate?.(update);
        if (update.terminal) handlersRef.current.onDone?.(update);
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

/** Calls the latest `handler` for every job event of the signed-in user. */
export function useJobEvents(handler: (event: JobEvent) => void): void {
  useSocketMessages((message) => {
    if (isJobEvent(message)) handler(message as JobEvent);
  });
}

/** The `result.audio_url` of a finished generation job, if any. */
export function resultAudioUrl(result: unknown): string | null {
  if (result && typeof result === "object" && "audio_url" in result) {
    const url = (result as { audio_url?: unknown }).audio_url;
    return typeof url === "string" && url ? url : null;
  }
  return null;
}
