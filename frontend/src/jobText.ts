/** How jobs and generations read on every page: status, kind, generation mode, percent. */
import { hasMessage, type TFunction } from "./i18n";

export { jobKindText as kindText } from "./jobKinds";

export function statusText(status: string, t: TFunction): string {
  const key = `job.status.${status}`;
  return hasMessage(key) ? t(key) : status;
}

/** A generation's mode (single, chunked, multivoice, multilang). */
export function modeText(mode: string, t: TFunction): string {
  const key = `mode.${mode}`;
  return hasMessage(key) ? t(key) : mode;
}

/** 0–100 from a job's fraction (0–1) or progress/total; null when unknown. */
export function jobPercent(job: { fraction?: number | null; progress?: number | null; total?: number | null }): number | null {
  if (typeof job.fraction === "number" && Number.isFinite(job.fraction)) return job.fraction * 100;
  if (typeof job.progress === "number" && typeof job.total === "number" && job.total > 0) {
    return (job.progress / job.total) * 100;
  }
  return null;
}
