/** Answer shapes of the cloning, design, audio tools and voice portability endpoints (called through `api.ts`). */
import type { JobAccepted } from "../api";

export type { JobAccepted };

// ---- transcription ----------------------------------------------------------------------------------

export interface TranscriptWord {
  start: number;
  end: number;
  word: string;
  probability: number;
}

export interface TranscriptSegment {
  id: number;
  start: number;
  end: number;
  text: string;
  words: TranscriptWord[];
}

/** `result` of a finished transcription job. */
export interface TranscriptResult {
  text: string;
  language: string;
  language_probability: number;
  duration: number;
  model: string;
  segments: TranscriptSegment[];
  srt: string;
  vtt: string;
  srt_url: string;
  vtt_url: string;
}

export interface WhisperModelRow {
  name: string;
  installed?: boolean;
  source?: string;
  [extra: string]: unknown;
}

export interface WhisperStatus {
  name: string;
  installed: boolean;
  default_model?: string | null;
  models?: WhisperModelRow[];
  install_hint?: string;
}

// ---- translation ------------------------------------------------------------------------------------

export interface LanguagePair {
  source: string;
  target: string;
  engine: string;
  model: string;
}

export interface TranslationModel {
  engine: string;
  name: string;
  kind: string;
  pairs: { source: string; target: string }[];
  languages: string[];
}

export interface TranslationPairs {
  pairs: LanguagePair[];
  multilingual: TranslationModel[];
  engines: { name: string; label: string; installed: boolean; models: string[] }[];
}

export interface Translation {
  text: string;
  source: string;
  target: string;
  engine: string;
  model: string;
  source_detected: boolean;
}

// ---- voice portability ------------------------------------------------------------------------------

export type ConflictStrategy = "skip" | "rename" | "replace";

export interface ImportPreviewVoice {
  id: string;
  name: string;
  kind: string;
  engine: string;
  engine_voice_id: string;
  languages: string[];
  category: string | null;
  samples: number;
  has_preview: boolean;
  files: number;
  action: "create" | "link" | "unavailable" | string;
  conflict: boolean;
  conflicting_voice_id: string | null;
  engine_known: boolean;
  engine_installed: boolean;
  warnings: string[];
}

export interface ImportPreview {
  format_version: number;
  app_version: string;
  exported_at: string;
  voices: ImportPreviewVoice[];
  categories: Record<string, unknown>[];
  conflicts: string[];
  unknown_engines: string[];
  warnings: string[];
  file_count: number;
  total_bytes: number;
}

export interface VoiceRef {
  id: string;
  source_id?: string;
  name: string;
}

export interface ImportResult {
  created: VoiceRef[];
  skipped: Record<string, unknown>[];
  replaced: VoiceRef[];
  linked: VoiceRef[];
  unavailable: Record<string, unknown>[];
  categories_created: string[];
}

// ---- helpers for job results whose shape is not fixed ------------------------------------------------

export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function stringField(value: unknown, ...names: string[]): string | null {
  const obj = asRecord(value);
  for (const name of names) {
    const item = obj[name];
    if (typeof item === "string" && item) return item;
    if (typeof item === "number") return String(item);
  }
  return null;
}

export function numberField(value: unknown, ...names: string[]): number | null {
  const obj = asRecord(value);
  for (const name of names) {
    const item = obj[name];
    if (typeof item === "number" && Number.isFinite(item)) return item;
  }
  return null;
}

/** "1:02.5" for 62.5 s. */
export function clockTime(seconds: number, decimals = 1): string {
  const safe = Math.max(0, seconds);
  const minutes = Math.floor(safe / 60);
  const rest = safe - minutes * 60;
  const text = rest.toFixed(decimals);
  return `${minutes}:${rest < 10 ? "0" : ""}${text}`;
}
