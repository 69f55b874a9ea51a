import { ApiError, BAD_RESPONSE, NETWORK_ERROR } from "./api";
import { hasMessage, type TFunction } from "./i18n";

/**
 * A message for the user in the UI's language, from the error's code (`error.<code>` in i18n/errors.ts). The
 * server's `detail` is English: it is shown only for a code the UI does not know yet.
 */
export function errorMessage(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    if (err.code === NETWORK_ERROR) return t("common.error.network");
    if (err.code === BAD_RESPONSE) return t("common.error.badJson");
    const key = `error.${err.code}`;
    if (hasMessage(key)) return t(key);
    if (err.detail) return err.detail;
    return t("common.error.status", { status: err.status });
  }
  if (err instanceof Error && err.message) return err.message;
  return t("common.error.network");
}

/** Codes that name no particular failure: the worker's own words say more. */
const GENERIC_JOB_CODES = new Set(["bad_request", "job_failed"]);

/** Why a job failed, in the UI's language when its code is one the UI knows; else the worker's words. */
export function jobErrorMessage(job: { error: string | null; errorCode?: string | null }, t: TFunction): string {
  const key = `error.${job.errorCode}`;
  if (job.errorCode && !GENERIC_JOB_CODES.has(job.errorCode) && hasMessage(key)) return t(key);
  return job.error || t("common.error.jobFailed");
}
