import { useEffect, useState } from "react";
import { api, ApiError } from "../../api";
import { asRecord, type Translation } from "../../cloning/api";
import { JobProgress } from "../../cloning/JobProgress";
import { ToolError } from "../../cloning/ToolError";
import { ToolResult } from "../../cloning/ToolResult";
import { useJob } from "../../jobs";
import { errorMessage } from "../../errors";
import { hasMessage, useI18n, type TFunction } from "../../i18n";
import { LanguagePairFields } from "../../translation/LanguagePairFields";
import { useLanguagePairs } from "../../translation/useLanguagePairs";
import { languageName } from "../../voices";

const MAX_CHARS = 5000;

function isTranslation(value: unknown): value is Translation {
  const obj = asRecord(value);
  return typeof obj.text === "string" && typeof obj.target === "string";
}

/** A translation engine's label, in the UI's language where its words need it. */
function engineLabel(engine: { name: string; label: string }, t: TFunction): string {
  const key = `tools.translate.engine.${engine.name}`;
  return hasMessage(key) ? t(key) : engine.label;
}

export function TranslatePanel() {
  const { t, locale } = useI18n();
  const [text, setText] = useState("");
  const [source, setSource] = useState("auto");
  const pairs = useLanguagePairs(source);
  const { loaded, error: pairsError, engines, sources, targets } = pairs;
  const [target, setTarget] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint: string | null; code: string } | null>(null);
  const [result, setResult] = useState<Translation | null>(null);
  const { job, running, follow, reset } = useJob((done) => {
    if (done.status === "succeeded" && isTranslation(done.result)) setResult(done.result);
  });

  useEffect(() => {
    if (targets.length && !targets.includes(target)) setTarget(targets.includes("es") ? "es" : targets[0]);
  }, [targets, target]);

  const translate = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    reset();
    try {
      const answer = await api.post<unknown>("/api/translate", { text, source, target });
      const task = asRecord(answer).task_id;
      if (typeof task === "string" && !isTranslation(answer)) follow(task, String(asRecord(answer).status ?? "pending"));
      else if (isTranslation(answer)) setResult(answer);
    } catch (err) {
      setError({
        message: errorMessage(err, t),
        hint: err instanceof ApiError ? err.field("install") : null,
        code: err instanceof ApiError ? err.code : "",
      });
    } finally {
      setBusy(false);
    }
  };

  const noPairs = loaded && sources.length === 0;

  return (
    <section className="card tool-card" data-testid="tools-translate">
      <header className="card-header">
        <div>
          <h2>{t("tools.translate.title")}</h2>
          <p className="muted small">{t("tools.translate.lead")}</p>
        </div>
        {loaded && (
          <span className="muted small" data-testid="tools-translate-engines">
            {engines
              .filter((e) => e.installed)
              .map((e) => engineLabel(e, t))
              .join(" · ") || t("tools.translate.noEngine")}
          </span>
        )}
      </header>
      {pairsError && <p className="alert alert-error">{pairsError}</p>}
      {noPairs && <p className="alert alert-warn" data-testid="tools-translate-none">{t("tools.translate.noPairs")}</p>}
      <label className="field">
        <span className="field-label-row">
          {t("tools.translate.text")}
          <small className="muted">
            {text.length} / {MAX_CHARS}
          </small>
        </span>
        <textarea
          rows={4}
          data-testid="tools-translate-text"
          value={text}
          maxLength={MAX_CHARS}
          placeholder={t("tools.translate.placeholder")}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <LanguagePairFields
        pairs={pairs}
        source={source}
        target={target}
        onSource={setSource}
        onTarget={setTarget}
        labels={{ source: t("tools.translate.source"), auto: t("tools.translate.sourceAuto"), target: t("tools.translate.target") }}
        testIds={{ source: "tools-translate-source", target: "tools-translate-target", missing: "tools-translate-missing" }}
      />
      {error && <ToolError {...error} testId="tools-translate-error" hintTestId="tools-translate-hint" />}
      <div className="actions actions-start">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="tools-translate-run"
          disabled={!text.trim() || !target || busy || running}
          onClick={() => void translate()}
        >
          {busy || running ? t("tools.translate.running") : t("tools.translate.run")}
        </button>
      </div>
      {job && !result && <JobProgress job={job} testId="tools-translate-progress" label={t("tools.translate.title")} />}
      {result && (
        <ToolResult
          testId="tools-translate-result"
          facts={
            <>
              <span className="chip chip-muted">
                {languageName(result.source, locale)} → {languageName(result.target, locale)}
              </span>
              {result.source_detected && <span className="chip chip-muted">{t("tools.translate.detected")}</span>}
              <span className="chip chip-muted">{[result.engine, result.model].filter(Boolean).join(" · ")}</span>
            </>
          }
          actions={
            <button
              type="button"
              className="btn btn-sm btn-secondary"
              data-testid="tools-translate-copy"
              onClick={() => void navigator.clipboard?.writeText(result.text).catch(() => undefined)}
            >
              {t("tools.translate.copy")}
            </button>
          }
          text={result.text}
          textTestId="tools-translate-output"
        />
      )}
    </section>
  );
}
