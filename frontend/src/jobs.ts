/** Follow one background job: live `job.*` WebSocket events, with polling as a safety net. */
import { api, TERMINAL_EVENTS, TERMINAL_STATUSES, type Job, type JobEvent } from "./api";
import type { LiveSocket, SocketMessage } from "./ws";

export interface JobUpdate {
  status: string;
  progress: number | null;
  total: number | null;
  message: string | null;
  result: unknown;
  error: string | null;
  /** Set on `job.progress` events of chunked jobs. */
  chunkIndex: number | null;
  chunkUrl: string | null;
  /** True when the update came from the socket, false from a poll. */
  live: boolean;
  terminal: boolean;
}

const FIRST_POLL_MS = 800;
const POLL_MS = 2500;

function eventUpdate(message: SocketMessage): JobUpdate {
  const event = message as unknown as JobEvent & { chunk_index?: unknown; chunk_url?: unknown };
  const terminalStatus = TERMINAL_EVENTS[event.type];
  const status =
    terminalStatus && !TERMINAL_STATUSES.has(event.status) ? terminalStatus : event.status || "running";
  return {
    status,
    progress: event.progress ?? null,
    total: event.total ?? null,
    message: event.message ?? null,
    result: event.result,
    error: typeof event.error === "string" ? event.error : null,
    chunkIndex: typeof event.chunk_index === "number" ? event.chunk_index : null,
    chunkUrl: typeof event.chunk_url === "string" ? event.chunk_url : null,
    live: true,
    terminal: Boolean(terminalStatus) || TERMINAL_STATUSES.has(status),
  };
}

function jobUpdate(job: Job): JobUpdate {
  return {
    status: job.status,
    progress: job.progress,
    total: job.total,
    message: job.message,
    result: job.result,
    error: job.error,
    chunkIndex: null,
    chunkUrl: null,
    live: false,
    terminal: TERMINAL_STATUSES.has(job.status),
  };
}

/**
 * Calls `onUpdate` for each change of the job until it ends (the terminal update comes exactly once).
 * Returns a function that stops watching.
 */
export function watchJob(socket: LiveSocket, taskId: string, onUpdate: (update: JobUpdate) => void): () => void {
  let done = false;
  let lastStatus = "";
  let timer: number | undefined;

  const deliver = (update: JobUpdate) => {
    if (done) return;
    if (update.terminal) {
      done = true;
      stop();
    }
    lastStatus = update.status;
    onUpdate(update);
  };

  const removeListener = socket.addMessageListener((message) => {
    if (!message.type.startsWith("job.")) return;
    const id = (message.task_id ?? message.job_id) as unknown;
    if (id !== taskId) return;
    const update = eventUpdate(message);
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
      const job = await api.get<Job>(`/api/jobs/${encodeURIComponent(taskId)}`);
      const update = jobUpdate(job);
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
export function waitForJob(socket: LiveSocket, taskId: string, signal?: AbortSignal): Promise<JobUpdate> {
  return new Promise((resolve, reject) => {
    const stop = watchJob(socket, taskId, (update) => {
      if (update.terminal) resolve(update);
    });
    signal?.addEventListener("abort", () => {
      stop();
      reject(new DOMException("aborted", "AbortError"));
    });
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
