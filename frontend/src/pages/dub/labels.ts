import type { TFunction } from "../../i18n";
import { languageName } from "../../voices";

/** A dub's language by name; "auto" (not detected yet) as the UI words it. */
export function dubLanguage(code: string, t: TFunction, locale: string): string {
  return code === "auto" || !code ? t("dub.settings.auto") : languageName(code, locale);
}
