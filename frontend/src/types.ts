/**
 * Shapes of the backend's answers. The main REST payloads come from the generated OpenAPI types
 * (`Schema<...>`); a few JSON fields the schema only knows as "any JSON" are narrowed here.
 */
import type { Schema } from "./schema";

export type Session = Schema<"Session"> & {
  /** Sent by the session endpoint but not declared by its serializer. */
  is_staff: boolean;
};

export type Job = Schema<"JobOut">;
export type JobAccepted = Schema<"JobAcceptedOut">;
export type Category = Schema<"CategoryOut">;

export type Voice = Omit<Schema<"VoiceOut">, "languages" | "tags"> & {
  languages: string[];
  tags: string[];
};
export type VoiceKind = Voice["kind"];
/** How a voice's engine makes speech ("" when unknown). */
export type VoiceTechnology = "neural" | "parametric" | "diphone" | "formant" | "" | string;

export type Take = Schema<"TakeOut">;
/** Output fields are always present; the schema marks those with a default as optional. */
export type Chunk = Required<Schema<"ChunkOut">>;
export type Generation = Required<Omit<Schema<"GenerationOut">, "settings">> & { settings: Record<string, unknown> };
export type GenerationDetail = Required<Omit<Schema<"GenerationDetailOut">, "settings" | "chunks">> & {
  settings: Record<string, unknown>;
  chunks: Chunk[];
};
export type GenerationMode = Generation["mode"];

export type ApiKey = Omit<Schema<"ApiKeyOut">, "scopes" | "limits"> & {
  scopes: string[];
  limits: Record<string, number>;
};
export type CreatedApiKey = ApiKey & { key: string };


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


// ---- voices, generations ---------------------------------------------------------------------------

export interface Page<T> {
  count: number;
  page: number;
  page_size: number;
  results: T[];
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
