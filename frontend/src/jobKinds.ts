/**
 * Every kind of background job the server creates (`job_create(kind=...)`), with its label. The
 * server's names come in three styles (`generation.single`, `transcribe`, `download_video`); the app
 * only shows them through `jobKindText`, which never shows a raw id.
 */
import type { MessageKey, TFunction } from "./i18n";

export const JOB_KINDS = {
  "generation.single": "job.kind.generation.single",
  "generation.chunked": "job.kind.generation.chunked",
  "generation.multivoice": "job.kind.generation.multivoice",
  "generation.multilang": "job.kind.generation.multilang",
  "generation.regenerate": "job.kind.generation.regenerate",
  "generation.merge": "job.kind.generation.merge",
  "clone.create": "job.kind.clone.create",
  "design.create": "job.kind.design.create",
  "voice.preview": "job.kind.voice.preview",
  transcribe: "job.kind.transcribe",
  translate: "job.kind.translate",
  download_video: "job.kind.download_video",
  "timeline.render": "job.kind.timeline.render",
  "words.align": "job.kind.words.align",
  dub: "job.kind.dub",
  "system.diagnostics": "job.kind.system.diagnostics",
} as const satisfies Record<string, MessageKey>;

export type JobKind = keyof typeof JOB_KINDS;

export function isJobKind(kind: string): kind is JobKind {
  return Object.prototype.hasOwnProperty.call(JOB_KINDS, kind);
}

/** The label of a job kind in the current language; a kind this app doesn't know reads "Background job". */
export function jobKindText(kind: string, t: TFunction): string {
  return t(isJobKind(kind) ? JOB_KINDS[kind] : "job.kind.unknown");
}
