import { ApiError, BAD_RESPONSE, NETWORK_ERROR } from "./api";
import type { TFunction } from "./i18n";

/** A message for the user: the server's own detail when it sent one, else a translated fallback. */
export function errorMessage(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    if (err.code === NETWORK_ERROR) return t("common.error.network");
    if (err.code === BAD_RESPONSE) return t("common.error.badJson");
    if (err.detail) return err.detail;
    return t("common.error.status", { status: err.status });
  }
  if (err instanceof Error && err.message) return err.message;
  return t("common.error.network");
}
