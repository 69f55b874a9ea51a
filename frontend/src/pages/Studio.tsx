import "./studio/studio.css";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { TERMINAL_STATUSES, type GenerationDetail, type Voice } from "../api";
import { Alert, PageHeader } from "../components/PageShell";
import { useSamplePlayer } from "../components/SamplePlayer";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { baseLanguage, loadAllVoices } from "../voices";
import { EditorCard } from "./studio/EditorCard";
import { charCount, EMPTY_DRAFT, loadDraft, useDraftSaver, useTextLimit } from "./studio/draft";
import { modeOf, numberSetting, scriptFromChunks, type Mode } from "./studio/generation";
import { GenerationCard } from "./studio/GenerationCard";
import { useDefaultVoice, useLanguageCheck } from "./studio/LanguageCheck";
import { MergePanel } from "./studio/MergePanel";
import { ProjectName } from "./studio/ProjectName";
import { guessLanguage, parseScript, scriptSpeakers } from "./studio/script";
import { SettingsCard } from "./studio/SettingsCard";
import { useChunkAudio } from "./studio/useChunkAudio";
import { useGeneration } from "./studio/useGeneration";
import { PlayAsMadeButton, usePlayAsMade } from "./studio/usePlayAsMade";
import { useRegenerations } from "./studio/useRegenerations";
import { useSplitPreview } from "./studio/useSplitPreview";

const MAX_CHARS = 300;

export function StudioPage() {
  const { t, lang, locale } = useI18n();
  const formatCount = (n: number) => new Intl.NumberFormat(locale).format(n);
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

  // ---- the editor (its draft survives a reload or another page) ------------------------------------
  const [initial] = useState(() => loadDraft() ?? EMPTY_DRAFT);
  const [mode, setMode] = useState<Mode>(initial.mode);
  const [title, setTitle] = useState(initial.title);
  const [text, setText] = useState(initial.text);
  const [voiceId, setVoiceId] = useState(initial.voiceId);
  const [language, setLanguage] = useState(initial.language);
  const [speed, setSpeed] = useState(initial.speed);
  const [pitch, setPitch] = useState(initial.pitch);
  const [seed, setSeed] = useState(initial.seed);
  const [speakerVoices, setSpeakerVoices] = useState<Record<string, string>>(initial.speakerVoices);
  const [langVoices, setLangVoices] = useState<Record<string, string>>(initial.langVoices);
  /** Reopening the generation the draft made keeps the draft (its edits are newer than the generation). */
  const keepDraftFor = useRef(initial.generationId);

  /** Whether the user picked the voice (or opened one): then it is no longer chosen for them. */
  const voiceChosen = useRef(Boolean(initial.voiceId));
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

  // ---- live sentence preview ----------------------------------------------------------------------
  const previewText = mode === "script" ? lines.map((line) => line.text).join("\n") : text;
  const { preview, previewError } = useSplitPreview(previewText, mode === "single" ? language : "", MAX_CHARS);

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
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const chunkAudio = useChunkAudio(() => sample.stop());

  const fillFrom = (detail: GenerationDetail) => {
    regenerations.clear();
    if (keepDraftFor.current === detail.id) {
      keepDraftFor.current = null;
      return;
    }
    setTitle(detail.title);
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
  };
  const gen = useGeneration(wantedGeneration, fillFrom);
  const regenerations = useRegenerations(gen.generationIdRef, gen.refresh);
  const { generation, job } = gen;
  const playAll = usePlayAsMade(generation, chunkAudio);

  useDraftSaver({
    mode,
    title,
    text,
    voiceId: voiceChosen.current ? voiceId : "",
    language,
    speed,
    pitch,
    seed,
    speakerVoices,
    langVoices,
    generationId: generation?.id ?? initial.generationId,
  });
  const newDraft = () => {
    voiceChosen.current = false;
    setMode(EMPTY_DRAFT.mode);
    setTitle("");
    setText("");
    setLanguage("");
    setSpeed(EMPTY_DRAFT.speed);
    setPitch(EMPTY_DRAFT.pitch);
    setSeed("");
    setSpeakerVoices({});
    setLangVoices({});
  };

  // ---- the text limit, and the results scrolled into view after Generate ---------------------------
  const limit = useTextLimit();
  const count = useMemo(() => charCount(text), [text]);
  const tooLong = limit !== null && count > limit;
  const resultsRef = useRef<HTMLDivElement>(null);
  const scrollToResults = useRef(false);
  useEffect(() => {
    if (!generation || !scrollToResults.current) return;
    scrollToResults.current = false;
    resultsRef.current?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, [generation]);

  const generate = async () => {
    setStartError(null);
    if (!text.trim()) {
      setStartError(t("studio.textRequired"));
      return;
    }
    if (mode !== "multilang" && !voiceId) {
      setStartError(t("studio.voiceRequired"));
      return;
    }
    const seedValue = seed.trim() === "" ? null : Number(seed);
    const common = { speed, pitch, seed: seedValue, title: title.trim() };
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
      const mapping = Object.fromEntries(Object.entries(langVoices).filter(([code, id]) => id && detectedLanguages.includes(code)));
      body = { ...common, text, voices: mapping, max_chars: MAX_CHARS };
    }
    setStarting(true);
    try {
      const id = await gen.start(url, body);
      regenerations.clear();
      chunkAudio.stop();
      scrollToResults.current = true;
      navigate(`/studio?generation=${encodeURIComponent(id)}`, { replace: true });
      // Show the planned chunks at once; events fill them in.
      await gen.refresh(id);
    } catch (err) {
      if (!catchMismatch(err)) setStartError(errorMessage(err, t));
    } finally {
      setStarting(false);
    }
  };

  // ---- derived ------------------------------------------------------------------------------------
  const chunks = generation?.chunks ?? [];
  const doneCount = chunks.filter((chunk) => chunk.status === "done").length;
  const total = chunks.length || job?.total || 0;
  const status = job?.status ?? "idle";
  const running = status === "pending" || status === "running" || status === "queued";
  const regenRunning = Object.values(regenerations.regen).some((r) => !r.error && !TERMINAL_STATUSES.has(r.status));
  const percent = status === "succeeded" ? 100 : total > 0 ? (doneCount / total) * 100 : status === "pending" ? 0 : null;
  const mergeReady = generation !== null && !running && !regenRunning && chunks.length > 0 && chunks.every((c) => c.selected_take !== null);

  return (
    <div className="page page-wide">
      <PageHeader title={t("nav.studio")} lead={t("studio.lead")} />
      <Alert>{voicesError && t("studio.voicesError", { detail: voicesError })}</Alert>
      <ProjectName
        title={title}
        onTitle={setTitle}
        text={text}
        generation={generation}
        onRenamed={() => generation && void gen.refresh(generation.id)}
        onNewDraft={newDraft}
      />

      <div className="studio-layout">
        <EditorCard
          mode={mode}
          onMode={setMode}
          text={text}
          onText={setText}
          voices={voices}
          voiceId={voiceId}
          speakers={speakers}
          speakerVoices={speakerVoices}
          onSpeakerVoice={(name, id) => setSpeakerVoices((prev) => ({ ...prev, [name]: id }))}
          detectedLanguages={detectedLanguages}
          langVoices={langVoices}
          onLangVoice={(code, id) => setLangVoices((prev) => ({ ...prev, [code]: id }))}
          sentenceCount={preview && text.trim() ? preview.chunks.length : null}
          charCount={count}
          charLimit={limit}
          previewChunks={previewChunks}
          previewError={previewError}
        />
        <SettingsCard
          mode={mode}
          voices={voices}
          voice={voice}
          voiceId={voiceId}
          onVoice={chooseVoice}
          sample={sample}
          language={language}
          onLanguage={setLanguage}
          speed={speed}
          onSpeed={setSpeed}
          pitch={pitch}
          onPitch={setPitch}
          seed={seed}
          onSeed={setSeed}
          mismatch={mismatch}
          startError={startError}
          starting={starting}
          running={running}
          blockedReason={tooLong && limit !== null ? t("project.tooLong", { n: count, limit: formatCount(limit) }) : null}
          onGenerate={() => void generate()}
        />
      </div>

      <Alert testId="studio-load-error">{gen.loadError}</Alert>

      <div ref={resultsRef} className="studio-results" data-testid="studio-results" />
      {generation && (
        <div className="actions">
          <PlayAsMadeButton state={playAll} />
        </div>
      )}
      {generation && (
        <GenerationCard
          generation={generation}
          job={job}
          status={status}
          running={running}
          doneCount={doneCount}
          total={total}
          percent={percent}
          voices={voices ?? []}
          regen={regenerations.regen}
          playingIndex={chunkAudio.playingIndex}
          selectErrors={gen.selectErrors}
          onCancel={() => void gen.cancel(setStartError)}
          onPlay={chunkAudio.toggle}
          onRegenerate={(chunk, options) => {
            chunkAudio.stopIf(chunk.index);
            void regenerations.regenerate(generation.id, chunk, options);
          }}
          onSelectTake={(chunk, take) => {
            chunkAudio.stopIf(chunk.index);
            void gen.selectTake(chunk, take);
          }}
        />
      )}

      {generation && (
        <MergePanel generationId={generation.id} ready={mergeReady} existingUrl={generation.audio_url} onMerged={() => void gen.refresh(generation.id)} />
      )}

      <audio
        ref={chunkAudio.audioRef}
        className="visually-hidden"
        data-testid="chunk-audio"
        onEnded={() => {
          playAll.ended(chunkAudio.playingIndex);
          chunkAudio.setPlayingIndex(null);
        }}
      />
      {sample.audio}
    </div>
  );
}
