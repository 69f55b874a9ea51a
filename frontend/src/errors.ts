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
