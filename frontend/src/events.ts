/**
 * What the server sends on /ws. The one definition shared with the backend is
 * `clonyvoice/event_contract.py` (TypedDicts); `tests/frontend/test_event_contract.py` checks that the
 * types below name the same events, the same fields and the same job statuses.
 */

/** Every status a job row can hold (`clonyvoice.models.Job.Status`). */
export type JobStatus = "pending" | "running" | "succeeded" | "failed" | "cancelled";

/** The statuses after which a job changes no more (`Job.FINISHED`). */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set<JobStatus>(["succeeded", "failed", "cancelled"]);

/** The fields every `job.*` event carries (`clonyvoice.events.job_payload`). */
export interface JobEventBase {
  job_id: string;
  task_id: string;
  kind: string;
  queue: string;
  status: JobStatus;
  progress: number;
  total: number;
  fraction: number;
  message: string;
  /** Unix time in seconds when the server sent it. */
  sent_at: number;
}

export interface JobQueuedEvent extends JobEventBase {
  type: "job.queued";
}

export interface JobProgressEvent extends JobEventBase {
  type: "job.progress";
  /** Chunked generations: the sentence just spoken and where its audio is. */
  chunk_index?: number;
  chunk_url?: string;
  /** A clone being fitted: the fitting objective so far (not a similarity; the judge scores the result). */
  fit?: number;
  /** A job of named stages (a dub: extract, transcribe, translate, ...): the one running now. */
  stage?: string;
}

export interface JobFinishedEvent extends JobEventBase {
  type: "job.finished";
  result: Record<string, unknown>;
}

export interface JobFailedEvent extends JobEventBase {
  type: "job.failed";
  error: string;
  /** The UI words the failure from this; `error` is the worker's English. */
  error_code: string;
}

export interface JobCancelledEvent extends JobEventBase {
  type: "job.cancelled";
}

export type JobEvent = JobQueuedEvent | JobProgressEvent | JobFinishedEvent | JobFailedEvent | JobCancelledEvent;

/** The status each terminal event ends its job with. */
export const TERMINAL_EVENTS: Record<string, JobStatus> = {
  "job.finished": "succeeded",
  "job.failed": "failed",
  "job.cancelled": "cancelled",
};

export interface GpuDevice {
  index: number;
  name: string;
  memory_total: number | null;
  memory_used: number | null;
  memory_free: number | null;
  utilization_percent: number | null;
  temperature_c: number | null;
  power_watts: number | null;
}

/** One `system.stats` message (sent every few seconds to a socket subscribed to the topic). */
export interface SystemStatsEvent {
  type: "system.stats";
  timestamp: number;
  cpu: { percent: number; per_core: number[]; cores: number };
  memory: { total: number; used: number; percent: number };
  swap: { total: number; used: number; percent: number };
  disk: { path: string; total: number; used: number; free: number; percent: number };
  process: { pid: number; rss: number };
  gpu: { available: boolean; gpus: GpuDevice[]; reason: string | null };
}

/** Any event this app reads from /ws. */
export type ServerEvent = JobEvent | SystemStatsEvent;

export function isJobEvent(message: { type: string }): message is JobEvent {
  return message.type.startsWith("job.");
}

export function isTerminalStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status);
}
