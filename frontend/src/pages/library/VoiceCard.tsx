/** One voice of the Library: name, engine, how it makes speech, kind, languages by name, and its actions. */
import type { Voice } from "../../api";
import { SampleButton, type SampleState } from "../../components/SamplePlayer";
import { useI18n } from "../../i18n";
import { languageNames } from "../../voices";
import { engineText, genderText, kindText, presetDescription, tagText, technologyText } from "./labels";

/** Languages named on a card before "+N more" (Kokoro's seven fit). */
const SHOWN_LANGUAGES = 8;

function Star({ on }: { on: boolean }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" fill={on ? "currentColor" : "none"} stroke="currentColor" strokeWidth="1.7" strokeLinejoin="round">
      <path d="M12 3.5l2.6 5.4 5.9.8-4.3 4.1 1 5.8L12 16.8l-5.2 2.8 1-5.8-4.3-4.1 5.9-.8z" />
    </svg>
  );
}

export interface CardProps {
  voice: Voice;
  sample: SampleState | null;
  busy: boolean;
  selected?: boolean;
  onSelect?: (voice: Voice, selected: boolean) => void;
  onPlay: (voice: Voice) => void;
  onFavorite: (voice: Voice) => void;
  onUse: (voice: Voice) => void;
  onEdit: (voice: Voice) => void;
  onDelete: (voice: Voice) => void;
}

export function VoiceCard({ voice, sample, busy, selected, onSelect, onPlay, onFavorite, onUse, onEdit, onDelete }: CardProps) {
  const { t, locale } = useI18n();
  const own = voice.kind !== "preset";
  const names = languageNames(voice.languages, locale);
  const mine = sample && sample.voiceId === voice.id ? sample : null;
  return (
    <article
      className={`voice-card${voice.is_available ? "" : " unavailable"}`}
      data-testid={`voice-card-${voice.id}`}
      data-engine={voice.engine}
      data-kind={voice.kind}
      data-technology={voice.technology}
    >
      <div className="voice-card-head">
        {onSelect && (
          <input
            type="checkbox"
            className="voice-select"
            data-testid={`voice-select-${voice.id}`}
            checked={Boolean(selected)}
            aria-label={t("portability.selectVoice", { name: voice.name })}
            onChange={(event) => onSelect(voice, event.target.checked)}
          />
        )}
        <div className="voice-title">
          <h3 title={voice.name}>{voice.name}</h3>
          <div className="chips">
            <span className={`chip engine-badge engine-${voice.engine}`}>{engineText(voice.engine, t)}</span>
            {voice.technology && (
              <span
                className={`chip chip-tech chip-tech-${voice.technology}`}
                data-testid={`voice-technology-${voice.id}`}
                title={t("library.technologyHint")}
              >
                {technologyText(voice.technology, t)}
              </span>
            )}
            <span className={`chip chip-kind-${voice.kind}`}>{kindText(voice.kind, t)}</span>
            {voice.gender && <span className="chip chip-muted">{genderText(voice.gender, t) || voice.gender}</span>}
            {!voice.is_available && <span className="chip chip-warn">{t("library.unavailable")}</span>}
          </div>
        </div>
        <button
          type="button"
          className={`fav-btn${voice.is_favorite ? " on" : ""}`}
          data-testid={`voice-fav-${voice.id}`}
          data-favorite={voice.is_favorite ? "true" : "false"}
          aria-pressed={voice.is_favorite}
          aria-label={voice.is_favorite ? t("library.unfavorite") : t("library.favorite")}
          title={voice.is_favorite ? t("library.unfavorite") : t("library.favorite")}
          disabled={busy}
          onClick={() => onFavorite(voice)}
        >
          <Star on={voice.is_favorite} />
        </button>
      </div>
      <p
        className="voice-langs"
        data-testid={`voice-langs-${voice.id}`}
        title={names.map((item) => item.name).join(", ")}
        aria-label={t("library.speaks", { languages: names.map((item) => item.name).join(", ") })}
      >
        {names
          .slice(0, SHOWN_LANGUAGES)
          .map((item) => item.name)
          .join(" · ")}
        {names.length > SHOWN_LANGUAGES && <span className="muted"> {t("library.moreLanguages", { n: names.length - SHOWN_LANGUAGES })}</span>}
      </p>
      {voice.description && <p className="voice-desc muted small">{presetDescription(voice, t)}</p>}
      {(voice.tags.length > 0 || voice.category) && (
        <div className="chips voice-tags">
          {voice.category && <span className="chip chip-category">{voice.category.name}</span>}
          {voice.tags.map((tag) => (
            <span key={tag} className="chip chip-muted">
              #{tagText(tag, t)}
            </span>
          ))}
        </div>
      )}
      {mine?.state === "error" && (
        <p className="alert alert-error small" role="alert">
          {t("sample.failed", { detail: mine.error ?? "" })}
        </p>
      )}
      <div className="voice-actions">
        <SampleButton voice={voice} sample={sample} onPlay={onPlay} testId={`voice-play-${voice.id}`} />
        <button
          type="button"
          className="btn btn-sm btn-primary"
          data-testid={`voice-use-${voice.id}`}
          onClick={() => onUse(voice)}
        >
          {t("library.use")}
        </button>
        {own && (
          <>
            <span className="spacer" />
            <button
              type="button"
              className="btn btn-sm btn-secondary"
              data-testid={`voice-edit-${voice.id}`}
              disabled={busy}
              onClick={() => onEdit(voice)}
            >
              {t("library.edit")}
            </button>
            <button
              type="button"
              className="btn btn-sm btn-danger"
              data-testid={`voice-delete-${voice.id}`}
              disabled={busy}
              onClick={() => onDelete(voice)}
            >
              {t("library.delete")}
            </button>
          </>
        )}
      </div>
    </article>
  );
}
