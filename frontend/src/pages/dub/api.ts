/** The dub endpoints (timeline/dubbing on the server): start a dub, read one, list them. */
import { api, query, type JobAccepted, type Page } from "../../api";

/** The stages of a dub, in order, as `job.progress` names them. */
export const DUB_STAGES = ["extract", "transcribe", "translate", "clone", "speak", "fit", "assemble", "render"] as const;
export type DubStage = (typeof DUB_STAGES)[number];

export interface DubSpeaker {
  label: string;
  voice_id: string | null;
  cloned: boolean;
  /** The judge's similarity of a cloned voice to the speaker (0–1). */
  similarity?: number | null;
}

export interface DubSegment {
  index: number;
  speaker: string;
  start: number;
  end: number;
  source_text: string;
  text: string;
  speech_start: number;
  speech_end: number;
  speed: number;
  stretch: number;
  moved_by: number;
  take_id: string | null;
}

export interface Dub {
  job_id: string;
  status: string;
  stage: string | null;
  source_language: string;
  target_language: string;
  duration: number | null;
  speakers: DubSpeaker[];
  notes: unknown[];
  segments?: DubSegment[];
  stages: { name: string; seconds: number }[];
  generation_id: string | null;
  timeline_id: string | null;
  render: { id: string; format: string; url: string } | null;
  subtitles: { srt: string; vtt: string } | null;
  created_at?: string;
  name?: string;
}

export type DubSource = { kind: "file"; file: File } | { kind: "url"; url: string } | { kind: "media"; mediaId: string };

export interface DubOptions {
  sourceLanguage: string;
  targetLanguage: string;
  /** A library voice; null clones the speaker(s). */
  voiceId: string | null;
  /** The original audio's gain under the speech; null drops it. */
  backgroundDb: number | null;
  subtitles: boolean;
  quality: "fast" | "best";
}

const enc = encodeURIComponent;

/** Starts a dub: multipart with an uploaded file, JSON otherwise. */
export function dubStart(source: DubSource, options: DubOptions): Promise<JobAccepted & { job_id?: string }> {
  const fields = {
    source_language: options.sourceLanguage,
    target_language: options.targetLanguage,
    voice_id: options.voiceId,
    background_db: options.backgroundDb,
    subtitles: options.subtitles,
    quality: options.quality,
  };
  if (source.kind === "file") {
    const form = new FormData();
    form.append("file", source.file, source.file.name);
    for (const [name, value] of Object.entries(fields)) {
      // An empty field is null to the server (voice: clone; background: dropped).
      if (value === null) {
        if (name === "background_db") form.append(name, "");
      } else form.append(name, String(value));
    }
    return api.form("/api/dub", form);
  }
  const body = source.kind === "url" ? { url: source.url, ...fields } : { media_id: source.mediaId, ...fields };
  if (body.voice_id === null) delete (body as { voice_id?: unknown }).voice_id;
  return api.post("/api/dub", body);
}

export function dubGet(jobId: string, signal?: AbortSignal): Promise<Dub> {
  return api.get<Dub>(`/api/dub/${enc(jobId)}`, { signal });
}

export function dubList(page = 1, pageSize = 10, signal?: AbortSignal): Promise<Page<Dub>> {
  return api.get<Page<Dub>>(`/api/dubs${query({ page, page_size: pageSize })}`, { signal });
}

/** The job id of a started dub (the job endpoints answer `task_id`; the contract also names it `job_id`). */
export function startedId(answer: { task_id?: string; job_id?: string }): string {
  return answer.task_id ?? answer.job_id ?? "";
}
