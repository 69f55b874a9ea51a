import { useEffect, useMemo, useState } from "react";
import type { Voice } from "../../api";
import { useI18n } from "../../i18n";
import { LanguagePairFields } from "../../translation/LanguagePairFields";
import { useLanguagePairs } from "../../translation/useLanguagePairs";
import { languageName, loadAllVoices, speaks } from "../../voices";
import type { DubOptions } from "./api";

interface Props {
  value: DubOptions;
  onChange: (change: Partial<DubOptions>) => void;
  disabled: boolean;
}

const DEFAULT_BACKGROUND_DB = -18;

/** Languages, voice and options of a dub. */
export function DubSettings({ value, onChange, disabled }: Props) {
  const { t, locale } = useI18n();
  const pairs = useLanguagePairs(value.sourceLanguage);
  const { loaded, error, sources, targets } = pairs;
  const [voices, setVoices] = useState<Voice[] | null>(null);
  const target = value.targetLanguage;

  useEffect(() => {
    const controller = new AbortController();
    loadAllVoices(controller.signal)
      .then(setVoices)
      .catch(() => setVoices([]));
    return () => controller.abort();
  }, []);

  useEffect(() => {
    if (targets.length && !targets.includes(target)) onChange({ targetLanguage: targets.includes("es") ? "es" : targets[0] });
  }, [targets, target, onChange]);

  const speaking = useMemo(() => (voices ?? []).filter((voice) => target && speaks(voice.languages, target)), [voices, target]);
  useEffect(() => {
    if (value.voiceId && voices !== null && !speaking.some((voice) => voice.id === value.voiceId)) onChange({ voiceId: null });
  }, [speaking, voices, value.voiceId, onChange]);

  const keep = value.backgroundDb !== null;
  const db = new Intl.NumberFormat(locale, { signDisplay: "exceptZero" }).format(value.backgroundDb ?? DEFAULT_BACKGROUND_DB);

  return (
    <section className="card" data-testid="dub-settings">
      <header className="card-header">
        <h2>{t("dub.settings.title")}</h2>
      </header>
      {error && <p className="alert alert-error">{error}</p>}
      {loaded && sources.length === 0 && (
        <p className="alert alert-warn" data-testid="dub-no-pairs">
          {t("tools.translate.noPairs")}
        </p>
      )}
      <LanguagePairFields
        pairs={pairs}
        source={value.sourceLanguage}
        target={target}
        onSource={(code) => onChange({ sourceLanguage: code })}
        onTarget={(code) => onChange({ targetLanguage: code })}
        labels={{ source: t("dub.settings.sourceLanguage"), auto: t("dub.settings.auto"), target: t("dub.settings.targetLanguage") }}
        testIds={{ source: "dub-source-language", target: "dub-target-language", missing: "dub-missing" }}
        missingClassName="dub-missing"
        disabled={disabled}
      />

      <label className="field">
        <span>{t("dub.settings.voice")}</span>
        <select
          data-testid="dub-voice"
          value={value.voiceId ?? ""}
          disabled={disabled}
          onChange={(e) => onChange({ voiceId: e.target.value || null })}
        >
          <option value="">{t("dub.settings.cloneSpeaker")}</option>
          {speaking.length > 0 && (
            <optgroup label={t("dub.settings.libraryVoices", { language: languageName(target, locale) })}>
              {speaking.map((voice) => (
                <option key={voice.id} value={voice.id}>
                  {voice.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
        <small className="muted">
          {value.voiceId ? t("dub.settings.voiceLibraryHint") : t("dub.settings.voiceCloneHint")}
          {voices !== null && speaking.length === 0 && target ? ` ${t("dub.settings.noLibraryVoice", { language: languageName(target, locale) })}` : ""}
        </small>
      </label>

      <div className="dub-options">
        <div className="field">
          <label className="filter-check">
            <input
              type="checkbox"
              data-testid="dub-keep-background"
              checked={keep}
              disabled={disabled}
              onChange={(e) => onChange({ backgroundDb: e.target.checked ? DEFAULT_BACKGROUND_DB : null })}
            />
            <span>{t("dub.settings.keepBackground")}</span>
          </label>
          <div className="dub-slider">
            <input
              type="range"
              min={-40}
              max={0}
              step={1}
              value={value.backgroundDb ?? DEFAULT_BACKGROUND_DB}
              disabled={disabled || !keep}
              aria-label={t("dub.settings.backgroundLevel")}
              data-testid="dub-background-db"
              onChange={(e) => onChange({ backgroundDb: Number(e.target.value) })}
            />
            <span className="muted small nowrap" data-testid="dub-background-value">
              {keep ? t("dub.settings.db", { value: db }) : t("dub.settings.backgroundOff")}
            </span>
          </div>
        </div>
        <label className="filter-check">
          <input
            type="checkbox"
            data-testid="dub-subtitles"
            checked={value.subtitles}
            disabled={disabled}
            onChange={(e) => onChange({ subtitles: e.target.checked })}
          />
          <span>{t("dub.settings.subtitles")}</span>
        </label>
        <label className="field">
          <span>{t("dub.settings.quality")}</span>
          <select
            data-testid="dub-quality"
            value={value.quality}
            disabled={disabled || value.voiceId !== null}
            onChange={(e) => onChange({ quality: e.target.value === "best" ? "best" : "fast" })}
          >
            <option value="fast">{t("dub.settings.qualityFast")}</option>
            <option value="best">{t("dub.settings.qualityBest")}</option>
          </select>
          <small className="muted">{value.voiceId ? t("dub.settings.qualityLibrary") : t("dub.settings.qualityHint")}</small>
        </label>
      </div>
    </section>
  );
}
