import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import {
  api,
  TERMINAL_STATUSES,
  type Chunk,
  type GenerationDetail,
  type Job,
  type JobAccepted,
  type SplitResult,
  type Voice,
} from "../api";
import { LanguageOptions } from "../components/LanguageOptions";
import { ProgressBar } from "../components/ProgressBar";
import { SampleButton, useSamplePlayer } from "../components/SamplePlayer";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { watchJob } from "../jobs";
import { baseLanguage, languageName, loadAllVoices } from "../voices";
import { useSocket, useSocketReconnect } from "../ws";
import { ChunkList, type RegenOptions, type RegenState } from "./studio/ChunkList";
import { chunkPlayUrl, modeOf, numberSetting, scriptFromChunks, statusRank, type JobState, type Mode } from "./studio/generation";
import { LanguageMismatch, useDefaultVoice, useLanguageCheck } from "./studio/LanguageCheck";
import { MergePanel } from "./studio/MergePanel";
import { guessLanguage, parseScript, scriptSpeakers } from "./studio/script";
import { VoicePicker } from "./studio/VoicePicker";
import { statusText } from "./system/jobText";

const MAX_CHARS = 300;
const PREVIEW_DEBOUNCE_MS = 400;
const REFRESH_DEBOUNCE_MS = 400;
const ACTIVE_REFRESH_MS = 4000;

export function StudioPage() {
  const { t, locale, lang } = useI18n();
  const socket = useSocket();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const sample = useSamplePlayer();
  const wantedVoice = params.get("voice");
  const wantedGeneration = params.get("generation");

  // ---- voices -------------------------------------------------------------------------------------
  const [voices, setVoices] = useState<Voice[] | null>(null);
  const [voicesError, setVoicesError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    loadAllVoices(controller.signal)
      .then((all) => setVoices(all.filter((voice) => voice.is_available)))
      .catch((err: unknown) => {
        if (!(err instanceof DOMException)) setVoicesError(errorMessage(err, t));
      });
    return () => controller.abort();
  }, [t]);
  const voiceById = useMemo(() => new Map((voices ?? []).map((voice) => [voice.id, voice])), [voices]);

  // ---- the editor ---------------------------------------------------------------------------------
  const [mode, setMode] = useState<Mode>("single");
  const [text, setText] = useState("");
  const [voiceId, setVoiceId] = useState("");
  const [language, setLanguage] = useState("");
  const [speed, setSpeed] = useState(1);
  const [pitch, setPitch] = useState(0);
  const [seed, setSeed] = useState("");
  const [speakerVoices, setSpeakerVoices] = useState<Record<string, string>>({});
  const [langVoices, setLangVoices] = useState<Record<string, string>>({});

  /** Whether the user picked the voice (or opened one): then it is no longer chosen for them. */
  const voiceChosen = useRef(false);
  const chooseVoice = useCallback(
    (id: string) => {
      voiceChosen.current = true;
      setVoiceId(id);
      setLanguage("");
      const voice = voiceById.get(id);
      if (voice) {
        setSpeed(voice.default_speed || 1);
        setPitch(voice.default_pitch || 0);
        if (voice.default_seed !== null && voice.default_seed !== undefined) setSeed(String(voice.default_seed));
      }
    },
    [voiceById],
  );

  // ?voice=…; else (see below) the best voice for the text's language until the user picks one.
  useEffect(() => {
    if (voices && wantedVoice && voiceById.has(wantedVoice)) chooseVoice(wantedVoice);
  }, [voices, voiceById, wantedVoice, chooseVoice]);

  const voice = voiceById.get(voiceId) ?? null;
  const lines = useMemo(() => (mode === "script" ? parseScript(text) : []), [mode, text]);
  const speakers = useMemo(() => scriptSpeakers(lines), [lines]);
  const namedSpeakers = speakers.filter(Boolean);

  // ---- live sentence preview ----------------------------------------------------------------------
  const [preview, setPreview] = useState<SplitResult | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const previewText = mode === "script" ? lines.map((line) => line.text).join("\n") : text;
  const previewLanguage = mode === "single" ? language : "";
  useEffect(() => {
    if (!previewText.trim()) {
      setPreview(null);
      setPreviewError(null);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api
        .post<SplitResult>(
          "/api/text/split",
          { text: previewText, language: previewLanguage || null, max_chars: MAX_CHARS },
          { signal: controller.signal },
        )
        .then((result) => {
          setPreview(result);
          setPreviewError(null);
        })
        .catch((err: unknown) => {
          if (!(err instanceof DOMException)) setPreviewError(errorMessage(err, t));
        });
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [previewText, previewLanguage, t]);

  useDefaultVoice(voices, (text.trim() && preview?.language) || lang, () => voiceChosen.current || Boolean(language), setVoiceId);
  const { mismatch, catchMismatch } = useLanguageCheck({
    check: mode === "single" && !language,
    voice,
    voices,
    chunks: preview && text.trim() ? preview.chunks : undefined,
    resetKey: `${mode}\n${voiceId}\n${language}\n${text}`,
  });

  const previewChunks = useMemo(
    () =>
      (preview?.chunks ?? []).map((chunk) => ({
        ...chunk,
        // A sentence's own language when the server is sure of it (what generation checks), else the text's;
        // the multi-language generation detects each sentence's own, so its preview does the same.
        shownLanguage: mode === "multilang" ? guessLanguage(chunk.text) : (chunk.detected_language ?? chunk.language),
      })),
    [preview, mode],
  );
  const detectedLanguages = useMemo(
    () => (mode === "multilang" ? [...new Set(previewChunks.map((c) => baseLanguage(c.shownLanguage ?? "en")))] : []),
    [mode, previewChunks],
  );

  // ---- the generation -----------------------------------------------------------------------------
  const [generation, setGeneration] = useState<GenerationDetail | null>(null);
  const [job, setJob] = useState<JobState | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [regen, setRegen] = useState<Record<number, RegenState>>({});
  const [selectErrors, setSelectErrors] = useState<Record<number, string>>({});
  const generationId = generation?.id ?? null;
  /** The generation shown (set before its details arrive, so late answers for another one are dropped). */
  const generationIdRef = useRef<string | null>(null);
  const ownStart = useRef<string | null>(null);
  const regenStops = useRef(new Map<string, () => void>());
  const refreshTimer = useRef<number | undefined>(undefined);

  useEffect(
    () => () => {
      regenStops.current.forEach((stop) => stop());
      regenStops.current.clear();
      window.clearTimeout(refreshTimer.current);
    },
    [],
  );

  const refresh = useCallback(async (id: string) => {
    try {
      const detail = await api.get<GenerationDetail>(`/api/generations/${encodeURIComponent(id)}`);
      if (generationIdRef.current !== id) return;
      setGeneration((prev) => {
        if (!prev || prev.id !== id) return detail;
        // An event may have announced a chunk the (older) answer doesn't know yet.
        const chunks = detail.chunks.map((chunk) => {
          const local = prev.chunks.find((c) => c.index === chunk.index);
          return local && local.status === "done" && chunk.status === "pending" ? local : chunk;
        });
        return { ...detail, chunks };
      });
      // Only move forward (pending → running → an end): an older answer must not undo an event.
      setJob((prev) => {
        if (!prev) {
          return { status: detail.status, progress: detail.progress, total: detail.total, error: detail.error, cancelRequested: false };
        }
        if (statusRank(detail.status) <= statusRank(prev.status)) return prev;
        return { ...prev, status: detail.status, progress: detail.progress, total: detail.total, error: detail.error };
      });
    } catch (err) {
      if (generationIdRef.current === id) setLoadError(errorMessage(err, t));
    }
  }, [t]);

  const refreshSoon = useCallback(
    (id: string) => {
      window.clearTimeout(refreshTimer.current);
      refreshTimer.current = window.setTimeout(() => void refresh(id), REFRESH_DEBOUNCE_MS);
    },
    [refresh],
  );

  // Open ?generation=<id> (from History), unless it is the one this page just started.
  useEffect(() => {
    if (!wantedGeneration || wantedGeneration === generationIdRef.current || wantedGeneration === ownStart.current) return;
    let alive = true;
    setLoadError(null);
    api
      .get<GenerationDetail>(`/api/generations/${encodeURIComponent(wantedGeneration)}`)
      .then((detail) => {
        if (!alive) return;
        generationIdRef.current = detail.id;
        setGeneration(detail);
        setRegen({});
        setSelectErrors({});
        setJob({ status: detail.status, progress: detail.progress, total: detail.total, error: detail.error, cancelRequested: false });
        const nextMode = modeOf(detail.mode);
        setMode(nextMode);
        setText(nextMode === "script" ? scriptFromChunks(detail.chunks) : detail.text);
        const settings = detail.settings ?? {};
        setSpeed(numberSetting(settings, "speed", 1));
        setPitch(numberSetting(settings, "pitch", 0));
        setSeed(typeof settings.seed === "number" ? String(settings.seed) : "");
        const first = detail.chunks.find((chunk) => chunk.voice_id)?.voice_id;
        if (first) {
          voiceChosen.current = true;
          setVoiceId(first);
        }
        if (nextMode === "script") {
          const map: Record<string, string> = {};
          for (const chunk of detail.chunks) if (chunk.speaker && chunk.voice_id) map[chunk.speaker] = chunk.voice_id;
          setSpeakerVoices(map);
        }
      })
      .catch((err: unknown) => alive && setLoadError(errorMessage(err, t)));
    return () => {
      alive = false;
    };
  }, [wantedGeneration, t]);

  // Follow the running generation: live chunk events, plus a slow refresh in case events are missed.
  const active = generationId !== null && job !== null && !TERMINAL_STATUSES.has(job.status);
  useEffect(() => {
    if (!active || !generationId) return;
    const stop = watchJob(socket, generationId, (update) => {
      setJob((prev) => ({
        status: update.status,
        progress: update.progress ?? prev?.progress ?? null,
        total: update.total ?? prev?.total ?? null,
        error: update.error ?? prev?.error ?? null,
        cancelRequested: prev?.cancelRequested ?? false,
      }));
      if (update.chunkIndex !== null) {
        const index = update.chunkIndex;
        setGeneration((prev) =>
          prev && prev.id === generationId
            ? {
                ...prev,
                chunks: prev.chunks.map((chunk) =>
                  chunk.index === index
                    ? {
                        ...chunk,
                        status: "done",
                        audio_url: update.chunkUrl ?? chunk.audio_url,
                        selected_take: chunk.selected_take ?? 1,
                      }
                    : chunk,
                ),
              }
            : prev,
        );
        refreshSoon(generationId);
      }
      if (update.terminal) void refresh(generationId);
    });
    const timer = window.setInterval(() => void refresh(generationId), ACTIVE_REFRESH_MS);
    return () => {
      stop();
      window.clearInterval(timer);
    };
  }, [active, generationId, socket, refresh, refreshSoon]);

  useSocketReconnect(() => {
    if (generationIdRef.current) void refresh(generationIdRef.current);
  });

  const generate = async () => {
    setStartError(null);
    setLoadError(null);
    if (!text.trim()) {
      setStartError(t("studio.textRequired"));
      return;
    }
    if (mode !== "multilang" && !voiceId) {
      setStartError(t("studio.voiceRequired"));
      return;
    }
    const seedValue = seed.trim() === "" ? null : Number(seed);
    const common = { speed, pitch, seed: seedValue };
    let url: string;
    let body: Record<string, unknown>;
    if (mode === "single") {
      url = "/api/generate/clone-chunked";
      body = { ...common, text, voice_id: voiceId, language: language || null, max_chars: MAX_CHARS };
    } else if (mode === "script") {
      url = "/api/generate/clone-chunked-multivoice";
      const mapping: Record<string, string> = {};
      for (const name of speakers) mapping[name] = (name && speakerVoices[name]) || voiceId;
      body = { ...common, script: text, voices: mapping, max_chars: MAX_CHARS };
    } else {
      url = "/api/generate/clone-chunked-multilang";
      const mapping = Object.fromEntries(Object.entries(langVoices).filter(([lang, id]) => id && detectedLanguages.includes(lang)));
      body = { ...common, text, voices: mapping, max_chars: MAX_CHARS };
    }
    setStarting(true);
    try {
      const started = await api.post<JobAccepted>(url, body);
      const id = started.task_id;
      ownStart.current = id;
      regenStops.current.forEach((stop) => stop());
      regenStops.current.clear();
      setRegen({});
      setSelectErrors({});
      stopPlaying();
      generationIdRef.current = id;
      setJob({ status: started.status || "pending", progress: 0, total: null, error: null, cancelRequested: false });
      navigate(`/studio?generation=${encodeURIComponent(id)}`, { replace: true });
      // Show the planned chunks at once; events fill them in.
      await refresh(id);
    } catch (err) {
      if (!catchMismatch(err)) setStartError(errorMessage(err, t));
    } finally {
      setStarting(false);
    }
  };

  const cancel = async () => {
    if (!generationId) return;
    setJob((prev) => (prev ? { ...prev, cancelRequested: true } : prev));
    try {
      const answer = await api.post<Job>("/api/generation/cancel", { task_id: generationId });
      if (TERMINAL_STATUSES.has(answer.status)) {
        setJob((prev) => (prev ? { ...prev, status: answer.status } : prev));
        void refresh(generationId);
      }
    } catch (err) {
      setJob((prev) => (prev ? { ...prev, cancelRequested: false } : prev));
      setStartError(errorMessage(err, t));
    }
  };

  // ---- chunk audio, takes, regeneration -----------------------------------------------------------
  const chunkAudio = useRef<HTMLAudioElement>(null);
  const [playingIndex, setPlayingIndex] = useState<number | null>(null);
  const stopPlaying = () => {
    chunkAudio.current?.pause();
    setPlayingIndex(null);
  };

  const playChunk = (chunk: Chunk) => {
    const audio = chunkAudio.current;
    if (!audio) return;
    if (playingIndex === chunk.index) {
      stopPlaying();
      return;
    }
    const url = chunkPlayUrl(chunk);
    if (!url) return;
    sample.stop();
    audio.src = url;
    setPlayingIndex(chunk.index);
    audio.play().catch(() => setPlayingIndex(null));
  };

  const regenerate = async (chunk: Chunk, options: RegenOptions) => {
    const id = generationId;
    if (!id) return;
    const index = chunk.index;
    if (playingIndex === index) stopPlaying();
    setRegen((prev) => ({ ...prev, [index]: { taskId: null, status: "pending", error: null } }));
    try {
      const started = await api.post<JobAccepted>("/api/generate/regenerate-chunk", { task_id: id, index, ...options });
      setRegen((prev) => ({ ...prev, [index]: { taskId: started.task_id, status: started.status || "pending", error: null } }));
      const stop = watchJob(socket, started.task_id, (update) => {
        if (generationIdRef.current !== id) return;
        if (!update.terminal) {
          setRegen((prev) => ({ ...prev, [index]: { taskId: started.task_id, status: update.status, error: null } }));
          return;
        }
        regenStops.current.delete(started.task_id);
        if (update.status === "succeeded") {
          setRegen((prev) => {
            const next = { ...prev };
            delete next[index];
            return next;
          });
        } else {
          setRegen((prev) => ({
            ...prev,
            [index]: { taskId: started.task_id, status: update.status, error: update.error || statusText(update.status, t) },
          }));
        }
        void refresh(id);
      });
      regenStops.current.set(started.task_id, stop);
    } catch (err) {
      setRegen((prev) => ({ ...prev, [index]: { taskId: null, status: "failed", error: errorMessage(err, t) } }));
    }
  };

  const selectTake = async (chunk: Chunk, take: number) => {
    const id = generationId;
    if (!id || !Number.isInteger(take) || take < 1) return;
    if (playingIndex === chunk.index) stopPlaying();
    setSelectErrors((prev) => {
      const next = { ...prev };
      delete next[chunk.index];
      return next;
    });
    // Show the choice at once; the server's answer confirms it.
    setGeneration((prev) =>
      prev && prev.id === id
        ? { ...prev, chunks: prev.chunks.map((c) => (c.index === chunk.index ? { ...c, selected_take: take } : c)) }
        : prev,
    );
    try {
      const updated = await api.post<Chunk>(
        `/api/generations/${encodeURIComponent(id)}/chunks/${chunk.index}/select`,
        { take },
      );
      setGeneration((prev) =>
        prev && prev.id === id
          ? { ...prev, chunks: prev.chunks.map((c) => (c.index === updated.index ? { ...c, ...updated } : c)) }
          : prev,
      );
    } catch (err) {
      setSelectErrors((prev) => ({ ...prev, [chunk.index]: errorMessage(err, t) }));
      void refresh(id);
    }
  };

  // ---- derived ------------------------------------------------------------------------------------
  const chunks = generation?.chunks ?? [];
  const doneCount = chunks.filter((chunk) => chunk.status === "done").length;
  const total = chunks.length || job?.total || 0;
  const status = job?.status ?? "idle";
  const running = status === "pending" || status === "running" || status === "queued";
  const regenRunning = Object.values(regen).some((r) => !r.error && !TERMINAL_STATUSES.has(r.status));
  const percent = status === "succeeded" ? 100 : total > 0 ? (doneCount / total) * 100 : status === "pending" ? 0 : null;
  const mergeReady = generation !== null && !running && !regenRunning && chunks.length > 0 && chunks.every((c) => c.selected_take !== null);

  const languageChoices = voice ? [...new Set(voice.languages)] : [];

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("nav.studio")}</h1>
          <p className="lead">{t("studio.lead")}</p>
        </div>
      </header>

      {voicesError && (
        <p className="alert alert-error" role="alert">
          {t("studio.voicesError", { detail: voicesError })}
        </p>
      )}

      <div className="studio-layout">
        <section className="card studio-editor">
          <header className="card-header">
            <h2>{t("studio.script")}</h2>
            <label className="inline-field">
              <span>{t("studio.mode")}</span>
              <select className="input" data-testid="studio-mode" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
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
            className="input studio-text"
            data-testid="studio-text"
            rows={10}
            value={text}
            placeholder={
              mode === "script" ? t("studio.placeholderScript") : mode === "multilang" ? t("studio.placeholderMultilang") : t("studio.placeholderSingle")
            }
            aria-label={t("studio.script")}
            onChange={(event) => setText(event.target.value)}
          />
          <div className="editor-foot muted small">
            <span>{t("studio.chars", { n: text.length })}</span>
            <span data-testid="studio-preview-count">
              {preview && text.trim() ? t("studio.sentences", { n: preview.chunks.length }) : ""}
            </span>
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
                      onChange={(id) => setSpeakerVoices((prev) => ({ ...prev, [name]: id }))}
                      testId={`speaker-voice-${name}`}
                      label={t("studio.voiceFor", { name })}
                      compact
                    />
                  </label>
                ))}
              </div>
            </div>
          )}
          {mode === "script" && text.trim() && namedSpeakers.length === 0 && (
            <p className="muted small">{t("studio.noSpeakers")}</p>
          )}

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
                      onChange={(id) => setLangVoices((prev) => ({ ...prev, [code]: id }))}
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
            {previewError && <p className="alert alert-error small">{previewError}</p>}
            {!text.trim() ? (
              <p className="muted small">{t("studio.previewEmpty")}</p>
            ) : (
              <ol className="preview-list" data-testid="studio-preview">
                {previewChunks.map((chunk) => (
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

        <aside className="card studio-settings">
          <header className="card-header">
            <h2>{t("studio.settings")}</h2>
          </header>
          <div className="field">
            <span>{mode === "script" ? t("studio.defaultVoice") : mode === "multilang" ? t("studio.fallbackVoice") : t("studio.voice")}</span>
            {voices === null ? (
              <select className="input" data-testid="studio-voice" disabled value="">
                <option value="">{t("common.loading")}</option>
              </select>
            ) : (
              <VoicePicker voices={voices} value={voiceId} onChange={chooseVoice} testId="studio-voice" label={t("studio.voice")} searchable />
            )}
            {voice && (
              <div className="voice-summary">
                <SampleButton voice={voice} sample={sample.current} onPlay={(v) => void sample.play(v)} testId="studio-voice-play" />
                {sample.current?.voiceId === voice.id && sample.current.state === "error" && (
                  <span className="bad-text small">{sample.current.error}</span>
                )}
              </div>
            )}
          </div>
          {mode === "single" && (
            <label className="field">
              <span>{t("studio.language")}</span>
              <select className="input" data-testid="studio-language" value={language} onChange={(e) => setLanguage(e.target.value)}>
                <option value="">{t("studio.languageAuto")}</option>
                <LanguageOptions codes={languageChoices} />
              </select>
            </label>
          )}
          <label className="field">
            <span className="field-label-row">
              {t("studio.speed")} <output className="muted">{speed.toFixed(2)}×</output>
            </span>
            <input type="range" data-testid="studio-speed" min={0.5} max={2} step={0.05} value={speed} onChange={(e) => setSpeed(Number(e.target.value))} />
          </label>
          <label className="field">
            <span className="field-label-row">
              {t("studio.pitch")} <output className="muted">{t("studio.semitones", { n: pitch.toFixed(1) })}</output>
            </span>
            <input type="range" data-testid="studio-pitch" min={-12} max={12} step={0.5} value={pitch} onChange={(e) => setPitch(Number(e.target.value))} />
          </label>
          <label className="field">
            <span>{t("studio.seed")}</span>
            <input
              className="input"
              data-testid="studio-seed"
              inputMode="numeric"
              value={seed}
              placeholder={t("studio.seedRandom")}
              onChange={(e) => setSeed(e.target.value.replace(/[^0-9]/g, "").slice(0, 10))}
            />
          </label>
          {mismatch && <LanguageMismatch mismatch={mismatch} voiceName={voice?.name ?? ""} onChoose={chooseVoice} />}
          {startError && (
            <p className="alert alert-error" role="alert" data-testid="studio-error">
              {startError}
            </p>
          )}
          <div className="studio-actions">
            <button
              type="button"
              className="btn btn-primary btn-block"
              data-testid="studio-generate"
              disabled={starting || running || voices === null || mismatch !== null}
              onClick={() => void generate()}
            >
              {starting ? t("studio.starting") : t("studio.generate")}
            </button>
          </div>
        </aside>
      </div>

      {loadError && (
        <p className="alert alert-error" role="alert" data-testid="studio-load-error">
          {loadError}
        </p>
      )}

      {generation && (
        <section className="card generation" data-testid="studio-generation" data-generation={generation.id}>
          <header className="card-header">
            <div>
              <h2>{t("studio.chunksTitle")}</h2>
              <p className="muted small">{generation.title}</p>
            </div>
            {running && (
              <button
                type="button"
                className="btn btn-sm btn-secondary"
                data-testid="studio-cancel"
                disabled={job?.cancelRequested}
                onClick={() => void cancel()}
              >
                {job?.cancelRequested ? t("common.cancelling") : t("common.cancel")}
              </button>
            )}
          </header>
          <div className="gen-progress" data-testid="studio-progress" data-status={status}>
            <div className="gen-progress-head">
              <span className={`chip chip-${status}`}>{statusText(status, t)}</span>
              <span className="muted small">{t("studio.progress", { done: doneCount, total })}</span>
            </div>
            <ProgressBar value={running && percent === 0 && status === "pending" ? null : percent} label={t("studio.progressLabel")} />
            {job?.error && status === "failed" && <p className="alert alert-error small">{job.error}</p>}
          </div>
          <ChunkList
            chunks={chunks}
            voices={voices ?? []}
            regen={regen}
            playingIndex={playingIndex}
            selectErrors={selectErrors}
            locked={running}
            onPlay={playChunk}
            onRegenerate={(chunk, options) => void regenerate(chunk, options)}
            onSelectTake={(chunk, take) => void selectTake(chunk, take)}
          />
        </section>
      )}

      {generation && (
        <MergePanel
          generationId={generation.id}
          ready={mergeReady}
          existingUrl={generation.audio_url}
          onMerged={() => void refresh(generation.id)}
        />
      )}

      <audio ref={chunkAudio} className="visually-hidden" data-testid="chunk-audio" onEnded={() => setPlayingIndex(null)} />
      {sample.audio}
    </div>
  );
}
