/** The Library's language filter: languages by name, the formant-only ones under "More languages". */
import { useI18n } from "../../i18n";
import { languageName } from "../../voices";
import type { NamedLanguage } from "./languages";

interface Props {
  value: string;
  onChange: (code: string) => void;
  groups: { main: NamedLanguage[]; more: NamedLanguage[] };
}

export function LanguageFilter({ value, onChange, groups }: Props) {
  const { t, locale } = useI18n();
  const known = [...groups.main, ...groups.more].some((item) => item.code === value);
  const options = (items: NamedLanguage[]) =>
    items.map(({ code, name }) => (
      <option key={code} value={code}>
        {name}
      </option>
    ));
  return (
    <label className="filter">
      <span>{t("library.language")}</span>
      <select data-testid="voice-filter-language" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t("library.anyLanguage")}</option>
        {value && !known && <option value={value}>{languageName(value, locale)}</option>}
        <optgroup label={t("librarySearch.mainLanguages")}>{options(groups.main)}</optgroup>
        {groups.more.length > 0 && (
          <optgroup label={t("librarySearch.moreLanguages")} data-testid="voice-filter-more-languages">
            {options(groups.more)}
          </optgroup>
        )}
      </select>
    </label>
  );
}
