import type { ReactNode } from "react";
import { Link } from "react-router";
import { ProgressBar } from "../components/ProgressBar";
import { useI18n } from "../i18n";
import { languageName } from "../voices";
import { similarityPercent, type MadeVoice } from "./voice";

interface Props {
  voice: MadeVoice;
  engine: string;
  engineLabel: string | null;
  similarity: number | null;
  /** Who measured the similarity (the judge), how the voice was made, and the start preset's own score. */
  judge?: string | null;
  method?: string | null;
  preset?: { voiceId: string; similarity: number | null } | null;
  /** Something the user should know about the samples, e.g. `several_speakers` with the second voice's share. */
  warnings?: { code: string; share: number | null }[];
  previewUrl: string | null;
  testId: string;
  children?: ReactNode;
}

/** The result of a clone or design: the voice, the engine that made it, its similarity and its preview. */
export function MadeVoiceCard({
  voice,
  engine,
  engineLabel,
  similarity,
  judge,
  method,
  preset,
  warnings = [],
  previewUrl,
  testId,
  children,
}: Props) {
  const { t, locale } = useI18n();
  const score = similarity ?? voice.similarity ?? null;
  const matching = engine === "matching";
  return (
    <section className="card made-voice" data-testid={testId} data-voice={voice.id} data-engine={engine}>
      <header className="card-header">
        <div>
          <h2 data-testid={`${testId}-name`}>{voice.name}</h2>
          <p className="muted small">
            {voice.languages.slice(0, 2).map((code) => languageName(code, locale)).join(" · ")}
          </p>
        </div>
        <span className={`chip engine-badge engine-${engine}`} data-testid={`${testId}-engine`}>
          {engineLabel || engine}
        </span>
      </header>
      <p className="muted small made-engine-note">
        {matching
          ? t("made.matchingExplained")
          : method === "kokoro-fit"
            ? t("made.kokoroExplained")
            : t("made.engineExplained", { engine: engineLabel || engine })}
      </p>
      {warnings.map((warning) => (
        <p className="alert alert-warn" role="status" key={warning.code} data-testid={`${testId}-warning`} data-code={warning.code}>
          {warning.code === "several_speakers"
            ? t("made.severalSpeakers", { percent: Math.round((warning.share ?? 0) * 100) })
            : t("made.warning")}
        </p>
      ))}
      <div className="made-grid">
        <div className="made-similarity" data-testid={`${testId}-similarity`} data-value={score ?? ""}>
          <div className="made-label">{t("made.similarity")}</div>
          {score === null ? (
            <div className="muted">{t("made.noSimilarity")}</div>
          ) : (
            <>
              <div className="big-number">
                <span data-testid={`${testId}-similarity-percent`}>{similarityPercent(score)}</span>
                <span className="unit">%</span>
              </div>
              <ProgressBar value={similarityPercent(score)} label={t("made.similarity")} size="sm" />
            </>
          )}
          {preset && preset.similarity !== null && (
            <p className="small" data-testid={`${testId}-preset`} data-value={preset.similarity}>
              {t("made.presetScore", { voice: preset.voiceId, percent: similarityPercent(preset.similarity) })}
            </p>
          )}
          <p className="muted small">{t("made.similarityExplained")}</p>
          {judge && <p className="muted small" data-testid={`${testId}-judge`}>{t("made.judge", { judge })}</p>}
        </div>
        <div className="made-preview">
          <div className="made-label">{t("made.preview")}</div>
          {previewUrl ? (
            <audio controls preload="auto" src={previewUrl} data-testid={`${testId}-preview`} className="made-audio" />
          ) : (
            <p className="muted">{t("made.noPreview")}</p>
          )}
        </div>
      </div>
      <div className="actions actions-start made-actions">
        {children}
        <Link className="btn btn-primary" to={`/studio?voice=${encodeURIComponent(voice.id)}`} data-testid={`${testId}-studio`}>
          {t("made.useInStudio")}
        </Link>
        <Link className="btn btn-secondary" to="/library" data-testid={`${testId}-library`}>
          {t("made.openLibrary")}
        </Link>
      </div>
    </section>
  );
}
