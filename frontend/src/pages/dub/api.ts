/** The dub endpoints (timeline/dubbing on the server): start a dub, read one, list them. */
import { api, query } from "../../api";
import type { Schema } from "../../schema";

/** The stages of a dub, in order, as `job.progress` names them. */
export const DUB_STAGES = ["extract", "transcribe", "translate", "clone", "speak", "fit", "assemble", "render"] as const;
export type DubStage = (typeof DUB_STAGES)[number];

export type DubSpeaker = Schema<"DubSpeakerOut">;
export type DubSegment = Schema<"DubSegmentOut">;
/** What a user should know about a dub: a `code` worded here, its numbers, and `text` in English. */
export type DubNote = Schema<"DubNoteOut">;
/** A dub as GET /api/dub/{job_id} answers it (the list leaves `segments` out). */
export type Dub = Schema<"DubOut">;
export type DubAccepted = Schema<"DubAcceptedOut">;

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
export function dubStart(source: DubSource, options: DubOptions): Promise<DubAccepted> {
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

export function dubList(page = 1, pageSize = 10, signal?: AbortSignal): Promise<Schema<"PaginatedDubOutList">> {
  return api.get(`/api/dubs${query({ page, page_size: pageSize })}`, { signal });
}
