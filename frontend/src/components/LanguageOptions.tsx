import { useI18n } from "../i18n";
import { languageName } from "../voices";

interface Props {
  /** Language codes, one `<option>` each, in the order given. */
  codes: readonly string[];
}

/** `<option>`s for a language `<select>`: the language's name in the user's language and its code, e.g. "German (de)". */
export function LanguageOptions({ codes }: Props) {
  const { locale } = useI18n();
  return (
    <>
      {codes.map((code) => (
        <option key={code} value={code}>
          {languageName(code, locale)} ({code})
        </option>
      ))}
    </>
  );
}
