/** The designed voice the user kept: its name, the languages it speaks, its preview, and where to use it. */
import { Link } from "react-router";
import { useI18n } from "../../i18n";
import { baseLanguage, languageName } from "../../voices";
import type { Kept } from "./useDesign";

export function KeptVoice({ kept }: { kept: Kept }) {
  const { t, locale } = useI18n();
  const { voice, candidate } = kept;
  const languages = [...new Set(voice.languages.map(baseLanguage))].map((code) => languageName(code, locale));
  const previewUrl = voice.preview_url ?? candidate.previewUrl;
  return (
    <section className="card made-voice" data-testid="design-result" data-voice={voice.id} data-engine={voice.engine}>
      <header className="card-header">
        <div>
          <h2 data-testid="design-result-name">{voice.name}</h2>
          <p className="muted small" data-testid="design-result-languages">
            {t("design.speaks", { languages: languages.join(", ") })}
          </p>
        </div>
        <span className={`chip engine-badge engine-${voice.engine}`}>{candidate.engineLabel || voice.engine}</span>
      </header>
      <div className="made-preview">
        <div className="made-label">{t("made.preview")}</div>
        {previewUrl && <audio controls preload="auto" src={previewUrl} data-testid="design-result-preview" className="made-audio" />}
      </div>
      <div className="actions actions-start made-actions">
        <span className="ok-text small" data-testid="design-kept">
          {t("design.kept")}
        </span>
        <Link className="btn btn-primary" to={`/studio?voice=${encodeURIComponent(voice.id)}`} data-testid="design-result-studio">
          {t("made.useInStudio")}
        </Link>
        <Link className="btn btn-secondary" to="/library" data-testid="design-result-library">
          {t("made.openLibrary")}
        </Link>
      </div>
    </section>
  );
}
