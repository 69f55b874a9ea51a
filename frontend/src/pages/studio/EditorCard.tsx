/** The Studio's text editor: mode, text, the voices of speakers or languages, and the sentence preview. */
import type { Voice } from "../../api";
import { useI18n } from "../../i18n";
import { languageName } from "../../voices";
import type { Mode } from "./generation";
import { VoicePicker } from "./VoicePicker";

export interface PreviewChunk {
  index: number;
  text: string;
  shownLanguage: string | null | undefined;
}

interface Props {
  mode: Mode;
  onMode: (mode: Mode) => void;
  text: string;
  onText: (text: string) => void;
  voices: Voice[] | null;
  voiceId: string;
  speakers: string[];
  speakerVoices: Record<string, string>;
  onSpeakerVoice: (name: string, voiceId: string) => void;
  detectedLanguages: string[];
  langVoices: Record<string, string>;
  onLangVoice: (code: string, voiceId: string) => void;
  sentenceCount: number | null;
  /** The text's length and the longest one a generation takes (null until the server said). */
  charCount: number;
  charLimit: number | null;
  previewChunks: PreviewChunk[];
  previewError: string | null;
}

/** "1,234 / 20,000", red past the limit. */
function CharCounter({ count, limit }: { count: number; limit: number | null }) {
  const { t, locale } = useI18n();
  const format = new Intl.NumberFormat(locale);
  if (limit === null) return <span data-testid="studio-char-count">{format.format(count)}</span>;
  const over = count > limit;
  const vars = { n: format.format(count), limit: format.format(limit) };
  return (
    <span
      className={over ? "bad-text" : undefined}
      data-testid="studio-char-count"
      data-over={over ? "true" : "false"}
      aria-label={t("project.counterLabel", { n: vars.n, limit })}
    >
      {t("project.counter", vars)}
    </span>
  );
}

export function EditorCard(props: Props) {
  const { t, locale } = useI18n();
  const { mode, text, voices, voiceId, speakers, speakerVoices, detectedLanguages, langVoices } = props;
  const namedSpeakers = speakers.filter(Boolean);
  return (
    <section className="card studio-editor">
      <header className="card-header">
        <h2>{t("studio.script")}</h2>
        <label className="inline-field">
          <span>{t("studio.mode")}</span>
          <select className="input" data-testid="studio-mode" value={mode} onChange={(e) => props.onMode(e.target.value as Mode)}>
            <option value="single">{t("studio.modeSingle")}</option>
            <option value="script">{t("studio.modeScript")}</option>
            <option value="multilang">{t("studio.modeMultilang")}</option>
          </select>
        </label>
      </header>
      <p className="muted small mode-hint">
        {mode === "single" ? t("studio.hintSingle") : mode === "script" ? t("studio.hintScript") : t("studio.hintMultilang")}
      </p>
      <textarea
        className={`input studio-text${props.charLimit !== null && props.charCount > props.charLimit ? " input-error" : ""}`}
        aria-invalid={props.charLimit !== null && props.charCount > props.charLimit}
        data-testid="studio-text"
        rows={10}
        value={text}
        placeholder={
          mode === "script" ? t("studio.placeholderScript") : mode === "multilang" ? t("studio.placeholderMultilang") : t("studio.placeholderSingle")
        }
        aria-label={t("studio.script")}
        onChange={(event) => props.onText(event.target.value)}
      />
      <div className="editor-foot muted small">
        <CharCounter count={props.charCount} limit={props.charLimit} />
        <span data-testid="studio-preview-count">{props.sentenceCount !== null ? t("studio.sentences", { n: props.sentenceCount }) : ""}</span>
      </div>

      {mode === "script" && namedSpeakers.length > 0 && (
        <div className="speakers" data-testid="studio-speakers">
          <h3 className="subhead">{t("studio.speakers")}</h3>
          {speakers.includes("") && <p className="muted small">{t("studio.noSpeakerHint")}</p>}
          <div className="speaker-grid">
            {namedSpeakers.map((name) => (
              <label className="field speaker-field" key={name}>
                <span>{name}</span>
                <VoicePicker
                  voices={voices ?? []}
                  value={speakerVoices[name] || voiceId}
                  onChange={(id) => props.onSpeakerVoice(name, id)}
                  testId={`speaker-voice-${name}`}
                  label={t("studio.voiceFor", { name })}
                  compact
                />
              </label>
            ))}
          </div>
        </div>
      )}
      {mode === "script" && text.trim() && namedSpeakers.length === 0 && <p className="muted small">{t("studio.noSpeakers")}</p>}

      {mode === "multilang" && detectedLanguages.length > 0 && (
        <div className="speakers" data-testid="studio-languages">
          <h3 className="subhead">{t("studio.languageVoices")}</h3>
          <div className="speaker-grid">
            {detectedLanguages.map((code) => (
              <label className="field speaker-field" key={code}>
                <span>{languageName(code, locale)}</span>
                <VoicePicker
                  voices={voices ?? []}
                  value={langVoices[code] ?? ""}
                  onChange={(id) => props.onLangVoice(code, id)}
                  testId={`lang-voice-${code}`}
                  label={t("studio.voiceFor", { name: languageName(code, locale) })}
                  emptyLabel={t("studio.autoVoice")}
                  language={code}
                  compact
                />
              </label>
            ))}
          </div>
        </div>
      )}

      <div className="preview">
        <h3 className="subhead">{t("studio.preview")}</h3>
        {props.previewError && (
          <p className="alert alert-error small">{props.previewError}</p>
        )}
        {!text.trim() ? (
          <p className="muted small">{t("studio.previewEmpty")}</p>
        ) : (
          <ol className="preview-list" data-testid="studio-preview">
            {props.previewChunks.map((chunk) => (
              <li key={chunk.index} data-testid={`preview-${chunk.index}`}>
                <span className="preview-text">{chunk.text}</span>
                {chunk.shownLanguage && (
                  <span className="chip chip-muted" title={chunk.shownLanguage}>
                    {languageName(chunk.shownLanguage, locale)}
                  </span>
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
