import "../cloning/cloning.css";
import { useEffect, useState } from "react";
import { JobProgress } from "../cloning/JobProgress";
import { presetLanguages } from "../cloning/voice";
import { LanguageOptions } from "../components/LanguageOptions";
import { errorMessage } from "../errors";
import { useI18n, type MessageKey } from "../i18n";
import { languageName } from "../voices";
import { PageHeader } from "../components/PageShell";
import { Candidates } from "./design/Candidates";
import { KeptVoice } from "./design/KeptVoice";
import { useDesign } from "./design/useDesign";

const EXAMPLES: MessageKey[] = ["design.example1", "design.example2", "design.example3", "design.example4", "design.example5", "design.example6"];

export function DesignPage() {
  const { t, locale } = useI18n();
  const [description, setDescription] = useState("");
  const [name, setName] = useState("");
  const [language, setLanguage] = useState("");
  const [languages, setLanguages] = useState<string[]>([]);
  const [gender, setGender] = useState("");
  const [age, setAge] = useState("");
  const [seed, setSeed] = useState("");
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const design = useDesign((err) => setError(errorMessage(err, t)));
  const { job, running, parsed, candidates, kept, discarded } = design;

  useEffect(() => {
    const controller = new AbortController();
    presetLanguages(controller.signal)
      .then((codes) => setLanguages(codes.sort((a, b) => languageName(a, locale).localeCompare(languageName(b, locale), locale))))
      .catch(() => undefined);
    return () => controller.abort();
  }, [locale]);

  const generate = async () => {
    setStarting(true);
    setError(null);
    try {
      await design.start({
        description: description.trim(),
        name: name.trim(),
        language: language || null,
        gender: gender ? (gender as "male" | "female") : null,
        age: age || null,
        seed: seed === "" ? null : Number(seed),
      });
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setStarting(false);
    }
  };

  const busy = starting || running;

  return (
    <div className="page">
      <PageHeader title={t("nav.design")} lead={t("design.lead")} />

      <section className="card" data-testid="design-form">
        <label className="field">
          <span>{t("design.description")}</span>
          <textarea
            rows={3}
            data-testid="design-description"
            value={description}
            maxLength={2000}
            placeholder={t("design.placeholder")}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <div className="design-examples">
          <span className="muted small">{t("design.examples")}</span>
          {EXAMPLES.map((key, index) => (
            <button
              key={key}
              type="button"
              className="chip chip-example"
              data-testid={`design-example-${index}`}
              onClick={() => setDescription(t(key))}
            >
              {t(key)}
            </button>
          ))}
        </div>
        <div className="form-row">
          <label className="field field-grow">
            <span>{t("design.name")}</span>
            <input data-testid="design-name" value={name} maxLength={120} placeholder={t("design.namePlaceholder")} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>{t("design.language")}</span>
            <select data-testid="design-language" value={language} onChange={(e) => setLanguage(e.target.value)}>
              <option value="">{t("design.fromDescription")}</option>
              <LanguageOptions codes={languages} />
            </select>
          </label>
          <label className="field">
            <span>{t("design.gender")}</span>
            <select data-testid="design-gender" value={gender} onChange={(e) => setGender(e.target.value)}>
              <option value="">{t("design.fromDescription")}</option>
              <option value="female">{t("gender.female")}</option>
              <option value="male">{t("gender.male")}</option>
            </select>
          </label>
          <label className="field">
            <span>{t("design.age")}</span>
            <select data-testid="design-age" value={age} onChange={(e) => setAge(e.target.value)}>
              <option value="">{t("design.fromDescription")}</option>
              <option value="child">{t("design.age.child")}</option>
              <option value="young">{t("design.age.young")}</option>
              <option value="middle">{t("design.age.middle")}</option>
              <option value="old">{t("design.age.old")}</option>
            </select>
          </label>
          <label className="field">
            <span>{t("design.seed")}</span>
            <input
              data-testid="design-seed"
              inputMode="numeric"
              value={seed}
              placeholder={t("design.seedRandom")}
              onChange={(e) => setSeed(e.target.value.replace(/[^0-9]/g, "").slice(0, 9))}
            />
          </label>
        </div>
        {error && (
          <p className="alert alert-error" role="alert" data-testid="design-error">
            {error}
          </p>
        )}
        <div className="actions actions-start">
          <button
            type="button"
            className="btn btn-primary"
            data-testid="design-generate"
            disabled={busy || !description.trim()}
            onClick={() => void generate()}
          >
            {starting ? t("tools.starting") : running ? t("design.generating") : t("design.generate")}
          </button>
        </div>
        {parsed && (parsed.recognized.length > 0 || parsed.ignored.length > 0) && (
          <div className="design-parsed" data-testid="design-parsed">
            {parsed.recognized.length > 0 && (
              <p className="small" data-testid="design-recognized">
                <span className="muted">{t("design.understood")}</span> {parsed.recognized.join(", ")}
              </p>
            )}
            {parsed.ignored.length > 0 && (
              <p className="small warn-text" data-testid="design-ignored">
                {t("design.ignored", { words: parsed.ignored.join(", ") })}
              </p>
            )}
          </div>
        )}
        {job && (
          <JobProgress job={job} testId="design-progress" label={t("design.progress")} onCancel={() => void design.cancel()} cancelling={design.cancelling} />
        )}
      </section>

      {candidates.length > 0 && (
        <Candidates
          key={job?.taskId}
          candidates={candidates}
          defaultName={name.trim() || description.trim().slice(0, 120)}
          deciding={design.deciding}
          onKeep={(candidate, keptName) => void design.keep(candidate, keptName)}
          onDiscardAll={() => void design.discardAll()}
        />
      )}
      {kept && <KeptVoice kept={kept} />}
      {discarded && (
        <p className="alert alert-success" data-testid="design-discarded">
          {t("design.discarded")}
        </p>
      )}
    </div>
  );
}
