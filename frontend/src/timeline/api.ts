/** Timeline and montage endpoints: shapes and calls (see timeline/views.py, serializers.py). */
import { ApiError, api, apiRequest, query, type JobAccepted, type Page, type RequestOptions } from "../api";

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
    super(409, "version_conflict", detail, { layout });
    this.layout = layout;
  }
}

/** The one client's call, with a 409 that carries the server's layout turned into LayoutConflictError. */
async function layoutCall(url: string, options: RequestOptions): Promise<Layout> {
  try {
    return await apiRequest<Layout>("POST", url, options);
  } catch (err) {
    const layout = err instanceof ApiError && err.status === 409 ? err.body.layout : undefined;
    if (err instanceof ApiError && layout && typeof layout === "object") throw new LayoutConflictError(err.detail, layout as Layout);
    throw err;
  }
}

/** Save the whole layout; a stale `version` throws LayoutConflictError with the current layout. */
export function layoutSave(key: string, version: number, tracks: LayoutTrackIn[]): Promise<Layout> {
  return layoutCall(`/api/timeline/${enc(key)}/layout`, { body: { version, tracks } });
}

export function importTrack(key: string, file: File, start: number): Promise<Layout> {
  const form = new FormData();
  form.append("file", file);
  form.append("start", String(Math.max(0, start)));
  return layoutCall(`/api/timeline/${enc(key)}/import-track`, { form });
}

export function importVideo(key: string, file: File, withAudio: boolean): Promise<Layout> {
  const form = new FormData();
  form.append("file", file);
  form.append("with_audio", withAudio ? "true" : "false");
  return layoutCall(`/api/timeline/${enc(key)}/import-video`, { form });
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
  return api.patch<MontageDetail>(`/api/montages/${enc(id)}`, changes);
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
