import { useEffect, useMemo, useState } from "react";
import { api, query, type Generation, type Page, type SystemStatus, ApiError } from "../../api";
import { asRecord, clockTime, type JobAccepted, type TranscriptResult, type WhisperStatus } from "../../cloning/api";
import { JobProgress } from "../../cloning/JobProgress";
import { ToolError } from "../../cloning/ToolError";
import { ToolResult } from "../../cloning/ToolResult";
import { useJob } from "../../jobs";
import { LanguageOptions } from "../../components/LanguageOptions";
import { MediaSelect, SourceModes, useMediaFiles } from "../../components/SourceInput";
import { errorMessage } from "../../errors";
import { useI18n } from "../../i18n";
import { languageName } from "../../voices";

/** Languages offered for a forced transcription language (auto-detect covers the rest). */
const WHISPER_LANGUAGES = ["en", "ru", "de", "fr", "es", "it", "pt", "nl", "pl", "uk", "tr", "cs", "sv", "zh", "ja", "ko", "ar", "hi"];

type Source = "upload" | "generation" | "media";

function isTranscript(value: unknown): value is TranscriptResult {
  const obj = asRecord(value);
  return typeof obj.text === "string" && Array.isArray(obj.segments);
}

export function TranscribePanel() {
  const { t, locale } = useI18n();
  const [source, setSource] = useState<Source>("upload");
  const [file, setFile] = useState<File | null>(null);
  const [generationId, setGenerationId] = useState("");
  const [generations, setGenerations] = useState<Generation[] | null>(null);
  const [mediaId, setMediaId] = useState("");
  const [language, setLanguage] = useState("auto");
  const [model, setModel] = useState("");
  const [whisper, setWhisper] = useState<WhisperStatus | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const { job, running, follow } = useJob();
  const media = useMediaFiles(source === "media", setError);

  // The installed Whisper models, as /api/system/status reports them (when it does).
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<SystemStatus>("/api/system/status", { signal: controller.signal })
      .then((status) => {
        const row = status.engines.find((engine) => engine.name === "whisper");
        if (row) setWhisper(row as unknown as WhisperStatus);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, []);
  const models = useMemo(() => (whisper?.models ?? []).filter((row) => row.installed !== false).map((row) => row.name), [whisper]);

  useEffect(() => {
    if (source !== "generation" || generations !== null) return;
    const controller = new AbortController();
    api
      .get<Page<Generation>>(`/api/generations${query({ status: "succeeded", page_size: 100 })}`, { signal: controller.signal })
      .then((page) => setGenerations(page.results))
      .catch((err: unknown) => {
        if (!(err instanceof DOMException)) setError(errorMessage(err, t));
      });
    return () => controller.abort();
  }, [source, generations, t]);

  const ready = source === "upload" ? file !== null : source === "media" ? mediaId !== "" : generationId !== "";

  const start = async () => {
    setStarting(true);
    setError(null);
    setHint(null);
    try {
      const form = new FormData();
      if (source === "upload" && file) form.append("file", file);
      if (source === "generation") form.append("generation_id", generationId);
      if (source === "media") form.append("media_id", mediaId);
      form.append("language", language);
      if (model) form.append("model", model);
      const started = await api.form<JobAccepted>("/api/transcribe", form);
      follow(started.task_id, started.status);
    } catch (err) {
      setError(errorMessage(err, t));
      if (err instanceof ApiError) setHint(err.field("install"));
    } finally {
      setStarting(false);
    }
  };

  const result = job?.status === "succeeded" && isTranscript(job.result) ? job.result : null;

  return (
    <section className="card tool-card" data-testid="tools-transcribe">
      <header className="card-header">
        <div>
          <h2>{t("tools.transcribe.title")}</h2>
          <p className="muted small">{t("tools.transcribe.lead")}</p>
        </div>
      </header>
      <SourceModes
        label={t("tools.transcribe.source")}
        options={[
          { value: "upload", label: t("tools.transcribe.fromFile") },
          { value: "generation", label: t("tools.transcribe.fromGeneration") },
          { value: "media", label: t("tools.transcribe.fromMedia") },
        ]}
        value={source}
        onChange={setSource}
        testIdPrefix="tools-transcribe-source-"
      />
      {source === "upload" ? (
        <label className="field">
          <span>{t("tools.transcribe.file")}</span>
          <input
            type="file"
            accept="audio/*,video/*"
            data-testid="tools-transcribe-file"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </label>
      ) : source === "media" ? (
        <MediaSelect
          label={t("tools.transcribe.media")}
          placeholder={t("tools.transcribe.pickMedia")}
          empty={t("tools.transcribe.noMedia")}
          media={media}
          value={mediaId}
          onChange={setMediaId}
          testId="tools-transcribe-media"
        />
      ) : (
        <label className="field">
          <span>{t("tools.transcribe.generation")}</span>
          <select data-testid="tools-transcribe-generation" value={generationId} onChange={(e) => setGenerationId(e.target.value)}>
            <option value="">{generations === null ? t("common.loading") : t("tools.transcribe.pickGeneration")}</option>
            {(generations ?? []).map((generation) => (
              <option key={generation.id} value={generation.id}>
                {generation.title || generation.id}
                {generation.duration ? ` (${clockTime(generation.duration, 0)})` : ""}
              </option>
            ))}
          </select>
          {generations !== null && generations.length === 0 && <small className="muted">{t("tools.transcribe.noGenerations")}</small>}
        </label>
      )}
      <div className="form-row">
        <label className="field field-grow">
          <span>{t("tools.transcribe.language")}</span>
          <select data-testid="tools-transcribe-language" value={language} onChange={(e) => setLanguage(e.target.value)}>
            <option value="auto">{t("tools.transcribe.languageAuto")}</option>
            <LanguageOptions codes={WHISPER_LANGUAGES} />
          </select>
        </label>
        <label className="field field-grow">
          <span>{t("tools.transcribe.model")}</span>
          <select data-testid="tools-transcribe-model" value={model} onChange={(e) => setModel(e.target.value)}>
            <option value="">
              {whisper?.default_model ? t("tools.transcribe.modelDefaultNamed", { name: whisper.default_model }) : t("tools.transcribe.modelDefault")}
            </option>
            {models.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <ToolError message={error} hint={hint} testId="tools-transcribe-error" />}
      <div className="actions actions-start">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="tools-transcribe-run"
          disabled={!ready || starting || running}
          onClick={() => void start()}
        >
          {starting ? t("tools.starting") : running ? t("tools.transcribe.running") : t("tools.transcribe.run")}
        </button>
      </div>
      {job && <JobProgress job={job} testId="tools-transcribe-progress" label={t("tools.transcribe.title")} />}
      {result && (
        <ToolResult
          testId="tools-transcribe-result"
          facts={
            <>
              <span className="chip chip-muted" data-testid="tools-transcribe-detected">
                {t("tools.transcribe.detected", {
                  language: languageName(result.language, locale),
                  percent: Math.round((result.language_probability ?? 0) * 100),
                })}
              </span>
              <span className="chip chip-muted">{t("tools.transcribe.usedModel", { model: result.model })}</span>
              <span className="chip chip-muted">{clockTime(result.duration)}</span>
            </>
          }
          actions={
            <>
              <a className="btn btn-sm btn-secondary" href={result.srt_url} download data-testid="tools-transcribe-srt">
                {t("tools.transcribe.downloadSrt")}
              </a>
              <a className="btn btn-sm btn-secondary" href={result.vtt_url} download data-testid="tools-transcribe-vtt">
                {t("tools.transcribe.downloadVtt")}
              </a>
            </>
          }
          text={result.text || <span className="muted">{t("tools.transcribe.silence")}</span>}
          textTestId="tools-transcribe-text"
        >
          {result.segments.length > 0 && (
            <ol className="segment-list" data-testid="tools-transcribe-segments">
              {result.segments.map((segment) => (
                <li key={segment.id} data-testid={`tools-transcribe-segment-${segment.id}`}>
                  <span className="segment-time">
                    {clockTime(segment.start)} → {clockTime(segment.end)}
                  </span>
                  <span>{segment.text}</span>
                </li>
              ))}
            </ol>
          )}
        </ToolResult>
      )}
    </section>
  );
}
