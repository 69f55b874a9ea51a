/**
 * Calls and answer shapes of the cloning, design, audio tools and voice portability endpoints.
 * `api.ts` only speaks JSON; uploads (multipart) and file downloads live here.
 */
import { ApiError, BAD_RESPONSE, NETWORK_ERROR, readCookie, type JobAccepted } from "../api";

/** An API error that keeps the whole JSON body (e.g. `install` of a 503 `model_not_installed`). */
export class ApiBodyError extends ApiError {
  readonly body: Record<string, unknown>;

  constructor(status: number, code: string, detail: string | null, body: Record<string, unknown>) {
    super(status, code, detail);
    this.body = body;
  }

  /** A string field of the error body, if any. */
  field(name: string): string | null {
    const value = this.body[name];
    return typeof value === "string" && value ? value : null;
  }
}

/** The `detail` of a DRF validation error: the first message of the first field. */
function firstFieldMessage(obj: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(obj)) {
    if (key === "error" || key === "status") continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string" && first) return key === "detail" || key === "non_field_errors" ? first : `${key}: ${first}`;
  }
  return null;
}

async function send(method: string, url: string, body: BodyInit | undefined, json: boolean, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (json) headers["Content-Type"] = "application/json";
  const token = readCookie("csrftoken");
  if (token) headers["X-CSRFToken"] = token;
  try {
    return await fetch(url, { method, headers, credentials: "same-origin", body, signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiBodyError(0, NETWORK_ERROR, null, {});
  }
}

async function errorOf(response: Response): Promise<ApiBodyError> {
  let obj: Record<string, unknown> = {};
  try {
    const data: unknown = JSON.parse(await response.text());
    if (data && typeof data === "object" && !Array.isArray(data)) obj = data as Record<string, unknown>;
  } catch {
    // Not JSON: the status alone says what happened.
  }
  const code = typeof obj.error === "string" ? obj.error : `http_${response.status}`;
  const detail = typeof obj.detail === "string" ? obj.detail : firstFieldMessage(obj);
  return new ApiBodyError(response.status, code, detail, obj);
}

async function parsed<T>(response: Response): Promise<T> {
  if (!response.ok) throw await errorOf(response);
  const text = response.status === 204 ? "" : await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiBodyError(response.status, BAD_RESPONSE, null, {});
  }
}

/** POST a multipart form (files and fields). */
export async function postForm<T>(url: string, form: FormData, signal?: AbortSignal): Promise<T> {
  return parsed<T>(await send("POST", url, form, false, signal));
}

/** POST JSON, keeping the whole error body on failure. */
export async function postJson<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return parsed<T>(await send("POST", url, JSON.stringify(body ?? {}), true, signal));
}

/** The file name of a `Content-Disposition: attachment; filename=...` header. */
function dispositionName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ""));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : fallback;
}

/** POST JSON and save the answer as a file in the browser's downloads. Returns the file name and size. */
export async function postDownload(url: string, body: unknown, fallbackName: string): Promise<{ name: string; size: number }> {
  const response = await send("POST", url, JSON.stringify(body ?? {}), true);
  if (!response.ok) throw await errorOf(response);
  const blob = await response.blob();
  const name = dispositionName(response.headers.get("Content-Disposition"), fallbackName);
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return { name, size: blob.size };
}

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
