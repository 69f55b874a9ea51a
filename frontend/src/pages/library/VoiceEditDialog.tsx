import { useState, type FormEvent } from "react";
import { api, type Category, type Voice } from "../../api";
import { Modal } from "../../components/Modal";
import { errorMessage } from "../../errors";
import { useI18n } from "../../i18n";
import { languageName } from "../../voices";
import type { NamedLanguage } from "./languages";

interface Props {
  voice: Voice;
  categories: Category[];
  /** The languages to pick from, by name. */
  languageOptions: NamedLanguage[];
  onClose: () => void;
  onSaved: (voice: Voice) => void;
}

function splitList(value: string): string[] {
  return [...new Set(value.split(",").map((item) => item.trim()).filter(Boolean))];
}

export function VoiceEditDialog({ voice, categories, languageOptions, onClose, onSaved }: Props) {
  const { t, locale } = useI18n();
  const [name, setName] = useState(voice.name);
  const [description, setDescription] = useState(voice.description);
  const [languages, setLanguages] = useState<string[]>(voice.languages);
  const [gender, setGender] = useState(voice.gender || "");
  const [tags, setTags] = useState(voice.tags.join(", "));
  const [category, setCategory] = useState(voice.category ? String(voice.category.id) : "");
  const [speed, setSpeed] = useState(voice.default_speed || 1);
  const [pitch, setPitch] = useState(voice.default_pitch || 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError(t("voiceEdit.nameRequired"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await api.put<Voice>(`/api/voices/${encodeURIComponent(voice.id)}`, {
        name: trimmed,
        description,
        languages,
        gender,
        tags: splitList(tags),
        category: category ? Number(category) : null,
        default_speed: speed,
        default_pitch: pitch,
      });
      onSaved(saved);
    } catch (err) {
      setError(errorMessage(err, t));
      setBusy(false);
    }
  };

  return (
    <Modal title={t("voiceEdit.title", { name: voice.name })} onClose={onClose} testId="voice-edit-dialog">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label className="field">
          <span>{t("voiceEdit.name")}</span>
          <input data-testid="voice-edit-name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t("voiceEdit.description")}</span>
          <textarea
            data-testid="voice-edit-description"
            rows={3}
            value={description}
            maxLength={5000}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <div className="form-row">
          <div className="field field-grow">
            <span>{t("voiceEdit.languages")}</span>
            <div className="chips" data-testid="voice-edit-languages">
              {languages.length === 0 && <span className="muted small">{t("librarySearch.noLanguages")}</span>}
              {languages.map((code) => (
                <span key={code} className="chip chip-muted" data-testid={`voice-edit-language-${code}`} title={code}>
                  {languageName(code, locale)}
                  <button
                    type="button"
                    className="link-btn"
                    aria-label={t("librarySearch.removeLanguage", { language: languageName(code, locale) })}
                    onClick={() => setLanguages((prev) => prev.filter((item) => item !== code))}
                  >
                    ×
                  </button>
                </span>
              ))}
            </div>
            <select
              data-testid="voice-edit-language-add"
              value=""
              aria-label={t("librarySearch.addLanguage")}
              onChange={(e) => e.target.value && setLanguages((prev) => [...prev, e.target.value])}
            >
              <option value="">{t("librarySearch.addLanguage")}</option>
              {languageOptions
                .filter((option) => !languages.includes(option.code))
                .map((option) => (
                  <option key={option.code} value={option.code}>
                    {option.name}
                  </option>
                ))}
            </select>
            <small className="muted">{t("librarySearch.languagesHint")}</small>
          </div>
          <label className="field">
            <span>{t("voiceEdit.gender")}</span>
            <select data-testid="voice-edit-gender" value={gender} onChange={(e) => setGender(e.target.value)}>
              <option value="">{t("gender.unset")}</option>
              <option value="female">{t("gender.female")}</option>
              <option value="male">{t("gender.male")}</option>
              <option value="neutral">{t("gender.neutral")}</option>
            </select>
          </label>
        </div>
        <div className="form-row">
          <label className="field field-grow">
            <span>{t("voiceEdit.tags")}</span>
            <input data-testid="voice-edit-tags" value={tags} onChange={(e) => setTags(e.target.value)} />
            <small className="muted">{t("voiceEdit.listHint")}</small>
          </label>
          <label className="field">
            <span>{t("voiceEdit.category")}</span>
            <select data-testid="voice-edit-category" value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">{t("voiceEdit.noCategory")}</option>
              {categories.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="form-row">
          <label className="field field-grow">
            <span>
              {t("studio.speed")} <output className="muted">{speed.toFixed(2)}×</output>
            </span>
            <input
              type="range"
              min={0.5}
              max={2}
              step={0.05}
              value={speed}
              data-testid="voice-edit-speed"
              onChange={(e) => setSpeed(Number(e.target.value))}
            />
          </label>
          <label className="field field-grow">
            <span>
              {t("studio.pitch")} <output className="muted">{t("studio.semitones", { n: pitch.toFixed(1) })}</output>
            </span>
            <input
              type="range"
              min={-12}
              max={12}
              step={0.5}
              value={pitch}
              data-testid="voice-edit-pitch"
              onChange={(e) => setPitch(Number(e.target.value))}
            />
          </label>
        </div>
        {error && (
          <p className="alert alert-error" role="alert" data-testid="voice-edit-error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary" data-testid="voice-edit-save" disabled={busy}>
            {busy ? t("common.saving") : t("common.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
