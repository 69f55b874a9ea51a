import "../cloning/cloning.css";
import { useCallback, useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { api, apiBlob, type Category } from "../api";
import { asRecord, clockTime } from "../cloning/api";
import { JobProgress } from "../cloning/JobProgress";
import { MadeVoiceCard } from "../cloning/MadeVoice";
import { useMadeVoiceJob } from "../cloning/useMadeVoiceJob";
import { loadCategories, presetLanguages } from "../cloning/voice";
import { LanguageOptions } from "../components/LanguageOptions";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { languageName } from "../voices";
import { Recorder } from "./clone/Recorder";
import { Waveform, type ClipRegion } from "./clone/Waveform";
import { checkSample, MIN_SAMPLE_SECONDS, type SampleCheck } from "./clone/sampleCheck";
import { PageHeader } from "../components/PageShell";

interface Clip {
  key: number;
  file: File;
  origin: "upload" | "recording" | "media";
  regions: ClipRegion[];
  duration: number | null;
  check: SampleCheck;
}

interface Accepted {
  task_id: string;
  status: string;
  voice_id: string;
}

const MAX_FILES = 20;
const FALLBACK_LANGUAGES = ["en", "ru", "de", "fr", "es", "it", "pt"];

function fileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ClonePage() {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const [clips, setClips] = useState<Clip[]>([]);
  const nextKey = useRef(1);
  const [name, setName] = useState("");
  const [language, setLanguage] = useState("en");
  const [languages, setLanguages] = useState<string[]>(FALLBACK_LANGUAGES);
  const [description, setDescription] = useState("");
  const [category, setCategory] = useState("");
  const [categories, setCategories] = useState<Category[]>([]);
  const [transcript, setTranscript] = useState("");
  const [quality, setQuality] = useState<"fast" | "best">("fast");
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [clipError, setClipError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    presetLanguages(controller.signal)
      .then((codes) => codes.length && setLanguages(codes.sort((a, b) => languageName(a, locale).localeCompare(languageName(b, locale), locale))))
      .catch(() => undefined);
    loadCategories(controller.signal)
      .then(setCategories)
      .catch(() => undefined);
    return () => controller.abort();
  }, [locale]);

  const addFiles = useCallback((files: File[], origin: Clip["origin"]) => {
    setClips((prev) => {
      const room = MAX_FILES - prev.length;
      if (files.length > room) setClipError(t("clone.tooManyFiles", { n: MAX_FILES }));
      const added: Clip[] = files
        .slice(0, Math.max(0, room))
        .map((file) => ({ key: nextKey.current++, file, origin, regions: [], duration: null, check: { state: "checking" } }));
      for (const clip of added) {
        void checkSample(clip.file).then((check) => setClips((now) => now.map((item) => (item.key === clip.key ? { ...item, check } : item))));
      }
      return [...prev, ...added];
    });
  }, [t]);

  // ?media=<id>: a media file (e.g. audio fetched from a video URL on the Tools page) becomes a sample here.
  const mediaParam = params.get("media");
  useEffect(() => {
    if (!mediaParam) return;
    const controller = new AbortController();
    (async () => {
      try {
        const info = await api.get<{ name: string; audio_url: string }>(`/api/media/${encodeURIComponent(mediaParam)}`, { signal: controller.signal });
        const { blob } = await apiBlob("GET", info.audio_url || `/api/media/${encodeURIComponent(mediaParam)}/audio`, {
          signal: controller.signal,
        });
        const ext = (blob.type.split("/")[1] || "flac").replace("x-", "");
        const base = (info.name || "media").replace(/[\\/]/g, "_");
        const fileName = /\.[a-z0-9]{2,5}$/i.test(base) ? base : `${base}.${ext}`;
        addFiles([new File([blob], fileName, { type: blob.type || "audio/flac" })], "media");
        if (!name) setName(base.replace(/\.[a-z0-9]{2,5}$/i, "").slice(0, 120));
        setParams((prev) => {
          const next = new URLSearchParams(prev);
          next.delete("media");
          return next;
        }, { replace: true });
      } catch (err) {
        if (!(err instanceof DOMException && err.name === "AbortError")) setClipError(t("clone.mediaFailed", { detail: errorMessage(err, t) }));
      }
    })();
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mediaParam]);

  const updateClip = (key: number, change: Partial<Clip>) => setClips((prev) => prev.map((clip) => (clip.key === key ? { ...clip, ...change } : clip)));
  const removeClip = (key: number) => setClips((prev) => prev.filter((clip) => clip.key !== key));

  const { job, running, follow, clear, made, cancel, cancelling } = useMadeVoiceJob("/api/clone/cancel", (err) => setError(errorMessage(err, t)));

  const withRegions = clips.some((clip) => clip.regions.length > 0);
  const checking = clips.some((clip) => clip.check.state === "checking");
  const rejected = clips.some((clip) => clip.check.state === "undecodable" || clip.check.state === "tooShort");
  const checkText = (clip: Clip): string | null => {
    const check = clip.check;
    if (check.state === "checking") return t("cloneCheck.checking");
    if (check.state === "undecodable") return t("cloneCheck.undecodable", { name: clip.file.name });
    if (check.state === "tooShort") {
      const seconds = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(check.duration);
      return t("cloneCheck.tooShort", { name: clip.file.name, seconds, min: MIN_SAMPLE_SECONDS });
    }
    return null;
  };
  const unmeasured = withRegions && clips.some((clip) => clip.regions.length === 0 && clip.duration === null);

  const create = async () => {
    setStarting(true);
    setError(null);
    clear();
    try {
      const form = new FormData();
      form.append("name", name.trim());
      form.append("language", language);
      form.append("description", description.trim());
      if (category) form.append("category", category);
      form.append("transcript", transcript.trim());
      form.append("quality", quality);
      let url = "/api/clone/create";
      if (withRegions) {
        // Only the regions are used; a file without regions is used whole.
        const regions = clips.flatMap((clip, index) =>
          clip.regions.length
            ? clip.regions.map((region) => ({ file: index, start: Number(region.start.toFixed(3)), end: Number(region.end.toFixed(3)) }))
            : [{ file: index, start: 0, end: Number((clip.duration ?? 0).toFixed(3)) }],
        );
        clips.forEach((clip) => form.append("files", clip.file, clip.file.name));
        form.append("regions", JSON.stringify(regions));
        url = "/api/clone/create-clips";
      } else if (clips.length > 1) {
        clips.forEach((clip) => form.append("files", clip.file, clip.file.name));
        url = "/api/clone/create-multi";
      } else {
        form.append("file", clips[0].file, clips[0].file.name);
      }
      const started = await api.form<Accepted>(url, form);
      follow(started.task_id, started.status);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setStarting(false);
    }
  };

  const startOver = () => {
    clear();
    setClips([]);
    setName("");
    setDescription("");
    setTranscript("");
  };

  const busy = starting || running;

  return (
    <div className="page">
      <PageHeader title={t("nav.clone")} lead={t("clone.lead")} />

      <section className="card" data-testid="clone-samples">
        <header className="card-header">
          <div>
            <h2>{t("clone.samples")}</h2>
            <p className="muted small">{t("clone.samplesHint")}</p>
          </div>
          <span className="count" data-testid="clone-file-count" data-count={clips.length}>
            {clips.length}
          </span>
        </header>
        <div className="clone-add">
          <button type="button" className="btn btn-secondary" data-testid="clone-add-files" disabled={busy} onClick={() => fileInput.current?.click()}>
            {t("clone.addFiles")}
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            accept="audio/*,video/*,.wav,.mp3,.flac,.ogg,.m4a,.webm"
            className="visually-hidden"
            data-testid="clone-file-input"
            onChange={(event) => {
              addFiles([...(event.target.files ?? [])], "upload");
              event.target.value = "";
            }}
          />
          <span className="muted small">{t("clone.or")}</span>
          <Recorder disabled={busy} onRecorded={(file) => addFiles([file], "recording")} />
        </div>
        {clipError && (
          <p className="alert alert-warn small" data-testid="clone-clip-error">
            {clipError}
          </p>
        )}
        {clips.length === 0 ? (
          <p className="muted clone-empty" data-testid="clone-no-files">
            {t("clone.noFiles")}
          </p>
        ) : (
          <ol className="clip-list">
            {clips.map((clip, index) => (
              <li key={clip.key} className="clip" data-testid={`clone-file-${index}`} data-origin={clip.origin} data-check={clip.check.state}>
                <div className="clip-head">
                  <strong className="ellipsis" title={clip.file.name}>
                    {clip.file.name}
                  </strong>
                  <span className="chip chip-muted">{t(`clone.origin.${clip.origin}`)}</span>
                  {clip.check.state === "ok" && <span className="chip chip-succeeded">{t("cloneCheck.ok")}</span>}
                  <span className="muted small">
                    {fileSize(clip.file.size)}
                    {clip.duration !== null && ` · ${clockTime(clip.duration)}`}
                  </span>
                  <span className="spacer" />
                  <button
                    type="button"
                    className="icon-btn icon-btn-danger"
                    data-testid={`clone-file-remove-${index}`}
                    aria-label={t("clone.removeFile")}
                    title={t("clone.removeFile")}
                    disabled={busy}
                    onClick={() => removeClip(clip.key)}
                  >
                    ×
                  </button>
                </div>
                {clip.check.state === "ok" ? (
                  <Waveform
                    file={clip.file}
                    index={index}
                    onRegions={(regions) => updateClip(clip.key, { regions })}
                    onDuration={(duration) => updateClip(clip.key, { duration })}
                    onError={(message) => setClipError(t("clone.waveFailed", { name: clip.file.name, detail: message }))}
                  />
                ) : (
                  <p
                    className={clip.check.state === "checking" ? "muted small" : "alert alert-error small"}
                    role={clip.check.state === "checking" ? undefined : "alert"}
                    data-testid={`clone-file-check-${index}`}
                    data-check={clip.check.state}
                  >
                    {checkText(clip)}
                  </p>
                )}
              </li>
            ))}
          </ol>
        )}
        {clips.length > 0 && (
          <p className="muted small" data-testid="clone-mode" data-mode={withRegions ? "clips" : clips.length > 1 ? "multi" : "single"}>
            {withRegions ? t("clone.modeClips") : clips.length > 1 ? t("clone.modeMulti", { n: clips.length }) : t("clone.modeSingle")}
          </p>
        )}
      </section>

      <section className="card" data-testid="clone-details">
        <header className="card-header">
          <h2>{t("clone.details")}</h2>
        </header>
        <div className="form-row">
          <label className="field field-grow">
            <span>{t("clone.name")}</span>
            <input data-testid="clone-name" value={name} maxLength={120} placeholder={t("clone.namePlaceholder")} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>{t("clone.language")}</span>
            <select data-testid="clone-language" value={language} onChange={(e) => setLanguage(e.target.value)}>
              {!languages.includes(language) && <option value={language}>{language}</option>}
              <LanguageOptions codes={languages} />
            </select>
          </label>
          <label className="field">
            <span>{t("clone.category")}</span>
            <select data-testid="clone-category" value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">{t("clone.noCategory")}</option>
              {categories.map((item) => (
                <option key={item.id} value={String(item.id)}>
                  {item.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="field">
          <span>{t("clone.description")}</span>
          <input data-testid="clone-description" value={description} maxLength={5000} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label-row">
            {t("clone.transcript")}
            <small className="muted">{t("clone.optional")}</small>
          </span>
          <textarea
            rows={3}
            data-testid="clone-transcript"
            value={transcript}
            maxLength={20000}
            placeholder={t("clone.transcriptPlaceholder")}
            onChange={(e) => setTranscript(e.target.value)}
          />
          <small className="muted">{t("clone.transcriptHint")}</small>
        </label>
        <label className="field">
          <span>{t("clone.quality")}</span>
          <select data-testid="clone-quality" value={quality} onChange={(e) => setQuality(e.target.value === "best" ? "best" : "fast")}>
            <option value="fast">{t("clone.qualityFast")}</option>
            <option value="best">{t("clone.qualityBest")}</option>
          </select>
          <small className="muted">{t("clone.qualityHint")}</small>
        </label>
        {error && (
          <p className="alert alert-error" role="alert" data-testid="clone-error">
            {error}
          </p>
        )}
        <div className="actions actions-start">
          <button
            type="button"
            className="btn btn-primary"
            data-testid="clone-create"
            disabled={busy || clips.length === 0 || unmeasured || checking || rejected}
            aria-describedby={checking || rejected ? "clone-create-blocked" : undefined}
            onClick={() => void create()}
          >
            {starting ? t("clone.uploading") : running ? t("clone.creating") : t("clone.create")}
          </button>
          {(checking || rejected) && (
            <span className={rejected ? "bad-text small" : "muted small"} id="clone-create-blocked" data-testid="clone-create-blocked">
              {rejected ? t("cloneCheck.fixFirst") : t("cloneCheck.waiting")}
            </span>
          )}
          {made && (
            <button type="button" className="btn btn-secondary" data-testid="clone-again" onClick={startOver}>
              {t("clone.startOver")}
            </button>
          )}
        </div>
        {job && (
          <JobProgress job={job} testId="clone-progress" label={t("clone.progress")} onCancel={() => void cancel()} cancelling={cancelling} />
        )}
        {job?.status === "cancelled" && <p className="muted small">{t("clone.cancelled")}</p>}
      </section>

      {made && (
        <MadeVoiceCard {...made.card} testId="clone-result">
          {asRecord(made.result).transcribed === true && <span className="muted small made-transcribed">{t("clone.wasTranscribed")}</span>}
        </MadeVoiceCard>
      )}
    </div>
  );
}
