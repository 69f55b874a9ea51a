/** Timeline and montage endpoints: shapes and calls (see timeline/views.py, serializers.py). */
import { ApiError, api, apiRequest, NETWORK_ERROR, query, readCookie, type JobAccepted, type Page } from "../api";

export type TrackKind = "voice" | "music" | "video";
export type RenderFormat = "wav" | "mp3" | "flac" | "mp4";

export interface SourceRef {
  kind: "take" | "media";
  id: string;
}

export interface LayoutBlock {
  id: number;
  source: SourceRef;
  start: number;
  in_point: number;
  out_point: number;
  end: number;
  gain_db: number;
  fade_in: number;
  fade_out: number;
  mute: boolean;
  label: string;
  source_duration: number;
  source_name: string;
  is_image: boolean;
  audio_url: string;
  /** 0..1, max |sample| per 1/peaks_per_second s, from `in_point` to `out_point` as loaded. */
  peaks: number[];
  peaks_per_second: number;
}

export interface LayoutTrack {
  id: number;
  kind: TrackKind;
  name: string;
  gain_db: number;
  mute: boolean;
  solo: boolean;
  order: number;
  blocks: LayoutBlock[];
}

export interface TimelineRender {
  render_id: string;
  format: string;
  duration: number;
  frames: number;
  sample_rate: number;
  channels: number;
  version: number;
  url: string;
  created_at: string;
}

export interface Layout {
  id: string;
  task_id: string | null;
  montage_id: string | null;
  title: string;
  version: number;
  duration: number;
  updated_at: string;
  tracks: LayoutTrack[];
  renders: TimelineRender[];
}

/** What the layout endpoint takes: no read-only fields (peaks, urls, durations). */
export interface LayoutTrackIn {
  id: number | null;
  kind: TrackKind;
  name: string;
  gain_db: number;
  mute: boolean;
  solo: boolean;
  blocks: {
    id: number | null;
    source: SourceRef;
    start: number;
    in_point: number;
    out_point: number;
    gain_db: number;
    fade_in: number;
    fade_out: number;
    mute: boolean;
    label: string;
  }[];
}

/** The `result` of a finished merge-timeline job. */
export interface RenderResult {
  timeline_id: string;
  render_id: string;
  url: string;
  format: string;
  duration: number;
  frames: number;
  sample_rate: number;
  channels: number;
  version: number;
}

export interface Montage {
  id: string;
  title: string;
  notes: string;
  generation_count: number | null;
  created_at: string;
  updated_at: string;
}

export interface MontageGeneration {
  id: string;
  title: string;
  mode: string;
  status: string;
  duration: number | null;
  created_at: string;
}

export interface MontageDetail extends Montage {
  generation_ids: string[];
  generations: MontageGeneration[];
  timeline_id: string | null;
}

const enc = encodeURIComponent;

export function timelineGet(key: string, signal?: AbortSignal): Promise<Layout> {
  return api.get<Layout>(`/api/timeline/${enc(key)}`, { signal });
}

/** A save that lost the race: the server's current layout comes with it. */
export class LayoutConflictError extends ApiError {
  readonly layout: Layout;

  constructor(detail: string | null, layout: Layout) {
    super(409, "version_conflict", detail);
    this.layout = layout;
  }
}

function csrfHeaders(json: boolean): Record<string, string> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (json) headers["Content-Type"] = "application/json";
  const token = readCookie("csrftoken");
  if (token) headers["X-CSRFToken"] = token;
  return headers;
}

async function send<T>(url: string, body: BodyInit, json: boolean): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: csrfHeaders(json), credentials: "same-origin", body });
  } catch {
    throw new ApiError(0, NETWORK_ERROR, null);
  }
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  const obj = (data && typeof data === "object" ? data : {}) as { error?: unknown; detail?: unknown; layout?: unknown };
  const detail = typeof obj.detail === "string" ? obj.detail : null;
  if (response.status === 409 && obj.layout && typeof obj.layout === "object") {
    throw new LayoutConflictError(detail, obj.layout as Layout);
  }
  if (!response.ok) {
    throw new ApiError(response.status, typeof obj.error === "string" ? obj.error : `http_${response.status}`, detail);
  }
  return data as T;
}

/** Save the whole layout; a stale `version` throws LayoutConflictError with the current layout. */
export function layoutSave(key: string, version: number, tracks: LayoutTrackIn[]): Promise<Layout> {
  return send<Layout>(`/api/timeline/${enc(key)}/layout`, JSON.stringify({ version, tracks }), true);
}

export function importTrack(key: string, file: File, start: number): Promise<Layout> {
  const form = new FormData();
  form.append("file", file);
  form.append("start", String(Math.max(0, start)));
  return send<Layout>(`/api/timeline/${enc(key)}/import-track`, form, false);
}

export function importVideo(key: string, file: File, withAudio: boolean): Promise<Layout> {
  const form = new FormData();
  form.append("file", file);
  form.append("with_audio", withAudio ? "true" : "false");
  return send<Layout>(`/api/timeline/${enc(key)}/import-video`, form, false);
}

export function renderStart(key: string, format: RenderFormat): Promise<JobAccepted> {
  return api.post<JobAccepted>("/api/generate/merge-timeline", { task_id: key, format });
}

export function montageList(page = 1, pageSize = 100): Promise<Page<Montage>> {
  return api.get<Page<Montage>>(`/api/montages${query({ page, page_size: pageSize })}`);
}

export function montageGet(id: string): Promise<MontageDetail> {
  return api.get<MontageDetail>(`/api/montages/${enc(id)}`);
}

export function montageCreate(title: string, notes: string, generationIds: string[]): Promise<MontageDetail> {
  return api.post<MontageDetail>("/api/montages", { title, notes, generation_ids: generationIds });
}

export function montageUpdate(
  id: string,
  changes: { title?: string; notes?: string; generation_ids?: string[] },
): Promise<MontageDetail> {
  return apiRequest<MontageDetail>("PATCH", `/api/montages/${enc(id)}`, { body: changes });
}

export function montageDelete(id: string): Promise<void> {
  return api.delete<void>(`/api/montages/${enc(id)}`);
}

/** The montage laid out as a timeline (made on first call; `rebuild` lays it out again). */
export function montageTimeline(id: string, rebuild = false): Promise<Layout> {
  return api.post<Layout>(`/api/montages/${enc(id)}/timeline`, { rebuild });
}

export function isRenderResult(value: unknown): value is RenderResult {
  return Boolean(value && typeof value === "object" && typeof (value as { url?: unknown }).url === "string");
}
