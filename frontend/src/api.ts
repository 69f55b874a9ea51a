/** Thin fetch wrapper for the ClonyVoice JSON API: same-origin session cookie + CSRF header. */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | null;
  /** The whole JSON error body (some errors carry more than `error` and `detail`, e.g. `language_mismatch`). */
  readonly body: Record<string, unknown>;

  constructor(status: number, code: string, detail: string | null, body: Record<string, unknown> = {}) {
    super(detail ?? code);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.body = body;
  }

  /** The session is gone: the app should send the user to the login page. */
  get isAuthError(): boolean {
    return (this.status === 401 || this.status === 403) && this.code === "not_authenticated";
  }
}

/** Status 0: the request never got an HTTP answer. */
export const NETWORK_ERROR = "network_error";
/** The answer was not the JSON we expected. */
export const BAD_RESPONSE = "bad_response";

type AuthListener = () => void;
const authListeners = new Set<AuthListener>();

/** Called whenever any API call answers 401/403 not_authenticated. Returns an unsubscribe function. */
export function onAuthRequired(listener: AuthListener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

/** Read a cookie fresh on every call: Django rotates the CSRF token on login. */
export function readCookie(name: string): string | null {
  const prefix = `${name}=`;
  for (const part of document.cookie ? document.cookie.split(";") : []) {
    const item = part.trim();
    if (item.startsWith(prefix)) return decodeURIComponent(item.slice(prefix.length));
  }
  return null;
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Don't trigger the global redirect to /login on 401 (used by the session endpoint itself). */
  skipAuthRedirect?: boolean;
}

export async function apiRequest<T>(method: string, url: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const upper = method.toUpperCase();
  if (upper !== "GET" && upper !== "HEAD") {
    headers["Content-Type"] = "application/json";
    const token = readCookie("csrftoken");
    if (token) headers["X-CSRFToken"] = token;
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: upper,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, NETWORK_ERROR, null);
  }

  const text = response.status === 204 ? "" : await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      if (response.ok) throw new ApiError(response.status, BAD_RESPONSE, null);
    }
  }

  if (!response.ok) {
    const obj = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
    const code = typeof obj.error === "string" ? obj.error : `http_${response.status}`;
    const detail = typeof obj.detail === "string" ? obj.detail : null;
    const error = new ApiError(response.status, code, detail, obj);
    if (error.isAuthError && !options.skipAuthRedirect) authListeners.forEach((listener) => listener());
    throw error;
  }
  return data as T;
}

export const api = {
  get: <T>(url: string, options?: RequestOptions) => apiRequest<T>("GET", url, options),
  post: <T>(url: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>("POST", url, { ...options, body: body ?? {} }),
  put: <T>(url: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>("PUT", url, { ...options, body: body ?? {} }),
  delete: <T>(url: string, options?: RequestOptions) => apiRequest<T>("DELETE", url, options),
};

/** `?a=1&b=2` from the non-empty values (empty string, null and undefined are left out). */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

// ---- Shapes of the backend's answers -------------------------------------------------------------

export interface Session {
  authenticated: boolean;
  username: string | null;
  is_staff: boolean;
}

export type JobStatus = "pending" | "running" | "succeeded" | "failed" | "cancelled" | string;

export interface Job {
  task_id: string;
  kind: string;
  queue: string;
  status: JobStatus;
  progress: number | null;
  total: number | null;
  fraction: number | null;
  message: string | null;
  error: string | null;
  result: unknown;
  cancel_requested: boolean;
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export interface QueueCounts {
  pending: number;
  running: number;
}

export interface QueueStatus {
  queues: Record<string, QueueCounts>;
  workers_alive: Record<string, number>;
  running: Job[];
  pending: Job[];
}

export interface WorkerInfo {
  host: string;
  pid: number;
  queues: string[];
  threads: number;
  running_jobs: string[];
}

export interface EngineInfo {
  name: string;
  label: string;
  installed: boolean;
  [extra: string]: unknown;
}

export interface SystemStatus {
  version: string;
  uptime_seconds: number;
  data_dir: string;
  database: { ok: boolean; vendor: string };
  redis: { ok: boolean; embedded: boolean; version: string | null };
  broker: { ok: boolean };
  workers: WorkerInfo[];
  workers_alive: number;
  engines: EngineInfo[];
}

export interface SystemInfo {
  cpu: { model: string | null; physical_cores: number | null; logical_cores: number | null; architecture: string };
  memory: { total: number };
  os: { system: string; release: string; platform: string };
  python: string;
  ml: { torch: string | null; cuda_available: boolean; reason?: string };
}

export interface DiagnosticCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ApiKey {
  key_id: string;
  name: string;
  prefix: string;
  scopes: string[];
  limits: Record<string, number>;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  revoked: boolean;
  is_active: boolean;
}

export interface CreatedApiKey extends ApiKey {
  key: string;
}

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

/** One `system.stats` message from the WebSocket. */
export interface SystemStats {
  type: "system.stats";
  timestamp: number;
  cpu: { percent: number; per_core: number[]; cores: number };
  memory: { total: number; used: number; percent: number };
  swap: { total: number; used: number; percent: number };
  disk: { path: string; total: number; used: number; free: number };
  process: { pid: number; rss: number };
  gpu: { available: boolean; gpus: GpuDevice[]; reason: string | null };
}

/** A `job.*` message from the WebSocket. */
export interface JobEvent {
  type: "job.queued" | "job.progress" | "job.finished" | "job.failed" | "job.cancelled";
  job_id?: string;
  task_id?: string;
  kind: string;
  queue: string;
  status: JobStatus;
  progress: number | null;
  total: number | null;
  fraction: number | null;
  message: string | null;
  result?: unknown;
  error?: string | null;
}

/** Statuses after which a job changes no more ("succeeded" is what the backend stores for a finished job). */
export const TERMINAL_STATUSES = new Set(["succeeded", "finished", "failed", "cancelled"]);
/** Event types that end a job, whatever status string they carry. */
export const TERMINAL_EVENTS: Record<string, string> = {
  "job.finished": "succeeded",
  "job.failed": "failed",
  "job.cancelled": "cancelled",
};

// ---- voices, generations ---------------------------------------------------------------------------

export interface Page<T> {
  count: number;
  page: number;
  page_size: number;
  results: T[];
}

export interface Category {
  id: number;
  name: string;
  created_at?: string;
}

export type VoiceKind = "preset" | "cloned" | "designed" | "mixed" | string;
/** How a voice's engine makes speech ("" when unknown). */
export type VoiceTechnology = "neural" | "parametric" | "diphone" | "formant" | "" | string;

export interface Voice {
  id: string;
  name: string;
  description: string;
  languages: string[];
  gender: string;
  age: string;
  accent: string;
  tags: string[];
  category: Category | null;
  kind: VoiceKind;
  engine: string;
  engine_voice_id: string;
  technology: VoiceTechnology;
  default_speed: number;
  default_pitch: number;
  default_seed: number | null;
  preview_url: string | null;
  is_favorite: boolean;
  is_available: boolean;
  created_at: string;
  updated_at: string;
}

/** One weighted component of a mixed voice (POST /api/voices). */
export interface MixComponent {
  voice_id: string;
  weight: number;
}

/** The extra fields of a 400 `language_mismatch` answer of the generation endpoints. */
export interface LanguageMismatchBody {
  language: string;
  voice_languages: string[];
  voices: { id: string; name: string }[];
}

/** The 202 answer of every endpoint that starts a job. */
export interface JobAccepted {
  task_id: string;
  status: JobStatus;
}

export type GenerationMode = "single" | "chunked" | "multivoice" | "multilang" | string;
export type ChunkStatus = "pending" | "done" | "failed" | string;

export interface Take {
  number: number;
  text: string;
  voice_id: string | null;
  seed: number | null;
  sample_rate: number;
  duration: number;
  synthesis_seconds: number;
  audio_url: string;
}

export interface Chunk {
  index: number;
  text: string;
  language: string;
  speaker: string;
  voice_id: string | null;
  voice_name: string | null;
  status: ChunkStatus;
  error: string;
  selected_take: number | null;
  audio_url: string | null;
  takes: Take[];
}

export interface Generation {
  id: string;
  task_id: string;
  title: string;
  mode: GenerationMode;
  status: JobStatus;
  progress: number | null;
  total: number | null;
  error: string | null;
  settings: Record<string, unknown>;
  output_format: string;
  duration: number | null;
  chunk_count: number | null;
  audio_url: string | null;
  created_at: string;
}

export interface GenerationDetail extends Generation {
  text: string;
  started_at: string | null;
  finished_at: string | null;
  chunks: Chunk[];
}

export interface SplitChunk {
  index: number;
  text: string;
  start: number;
  end: number;
  language: string | null;
  /** The sentence's own language when it is clear (what generation checks against the voice), else null. */
  detected_language?: string | null;
}

export interface SplitResult {
  language: string | null;
  chunks: SplitChunk[];
}

/** `result` of a finished generation or merge job. */
export interface GenerationResult {
  generation_id: string;
  chunks?: number;
  audio_url?: string | null;
  duration?: number | null;
  format?: string;
  index?: number;
  take?: number;
}
