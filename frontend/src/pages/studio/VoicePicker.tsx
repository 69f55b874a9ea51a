import { useMemo, useState } from "react";
import type { Voice } from "../../api";
import { useI18n } from "../../i18n";
import { baseLanguage, languageName } from "../../voices";
import { engineText } from "../library/labels";

interface Props {
  voices: Voice[];
  value: string;
  onChange: (voiceId: string) => void;
  testId: string;
  label: string;
  /** Show a search box that filters the options. */
  searchable?: boolean;
  /** An extra first option with value "" (e.g. "automatic"). */
  emptyLabel?: string;
  /** Only voices that speak this language (base code). */
  language?: string;
  disabled?: boolean;
  compact?: boolean;
}

export function voiceLabel(voice: Voice, locale: string): string {
  const first = voice.languages[0];
  return first ? `${voice.name} — ${languageName(baseLanguage(first), locale)}` : voice.name;
}

/** A native <select> of voice ids, grouped by engine, with an optional search box. */
export function VoicePicker({ voices, value, onChange, testId, label, searchable, emptyLabel, language, disabled, compact }: Props) {
  const { t, locale } = useI18n();
  const [search, setSearch] = useState("");

  const groups = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const matches = voices.filter((voice) => {
      if (voice.id === value) return true;
      if (language && !voice.languages.some((code) => baseLanguage(code) === language)) return false;
      if (!needle) return true;
      const hay = [voice.name, voice.engine, ...voice.languages, ...voice.languages.map((c) => languageName(c, locale)), ...voice.tags]
        .join(" ")
        .toLowerCase();
      return hay.includes(needle);
    });
    const byEngine = new Map<string, Voice[]>();
    for (const voice of matches) {
      const key = voice.kind === "preset" ? voice.engine : "own";
      byEngine.set(key, [...(byEngine.get(key) ?? []), voice]);
    }
    return [...byEngine.entries()];
  }, [voices, value, language, search, locale]);

  const shown = groups.reduce((n, [, list]) => n + list.length, 0);

  return (
    <div className={`voice-picker${compact ? " compact" : ""}`}>
      {searchable && (
        <input
          type="search"
          className="input voice-picker-search"
          data-testid={`${testId}-search`}
          value={search}
          placeholder={t("studio.voiceSearch")}
          aria-label={t("studio.voiceSearch")}
          disabled={disabled}
          onChange={(event) => setSearch(event.target.value)}
        />
      )}
      <select
        className="input"
        data-testid={testId}
        aria-label={label}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      >
        {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
        {emptyLabel === undefined && !value && <option value="">{t("studio.chooseVoice")}</option>}
        {groups.map(([engine, list]) => (
          <optgroup key={engine} label={engine === "own" ? t("studio.ownVoices") : engineText(engine, t)}>
            {list.map((voice) => (
              <option key={voice.id} value={voice.id}>
                {voiceLabel(voice, locale)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {searchable && search.trim() && <small className="muted">{t("studio.voiceMatches", { n: shown })}</small>}
    </div>
  );
}
