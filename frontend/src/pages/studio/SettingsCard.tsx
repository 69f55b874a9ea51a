/** The Studio's settings column: voice, language, speed, pitch, seed, and the Generate button. */
import type { Voice } from "../../api";
import { LanguageOptions } from "../../components/LanguageOptions";
import { Alert } from "../../components/PageShell";
import { SampleButton, type useSamplePlayer } from "../../components/SamplePlayer";
import { useT } from "../../i18n";
import { UnavailableEngines, useEngines } from "../library/UnavailableEngines";
import type { Mode } from "./generation";
import { LanguageMismatch, type Mismatch } from "./LanguageCheck";
import { VoicePicker } from "./VoicePicker";

interface Props {
  mode: Mode;
  voices: Voice[] | null;
  voice: Voice | null;
  voiceId: string;
  onVoice: (id: string) => void;
  sample: ReturnType<typeof useSamplePlayer>;
  language: string;
  onLanguage: (language: string) => void;
  speed: number;
  onSpeed: (speed: number) => void;
  pitch: number;
  onPitch: (pitch: number) => void;
  seed: string;
  onSeed: (seed: string) => void;
  mismatch: Mismatch | null;
  startError: string | null;
  starting: boolean;
  running: boolean;
  /** Why Generate cannot run now (e.g. the text is past the limit), shown under the button. */
  blockedReason: string | null;
  onGenerate: () => void;
}

export function SettingsCard(props: Props) {
  const t = useT();
  const engines = useEngines();
  const { mode, voices, voice, sample, speed, pitch, mismatch } = props;
  const languageChoices = voice ? [...new Set(voice.languages)] : [];
  return (
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
          <VoicePicker voices={voices} value={props.voiceId} onChange={props.onVoice} testId="studio-voice" label={t("studio.voice")} searchable />
        )}
        {voice && (
          <div className="voice-summary">
            <SampleButton voice={voice} sample={sample.current} onPlay={(v) => void sample.play(v)} testId="studio-voice-play" />
            {sample.current?.voiceId === voice.id && sample.current.state === "error" && (
              <span className="bad-text small">{sample.current.error}</span>
            )}
          </div>
        )}
        <UnavailableEngines engines={engines} role="preset_voices" testId="studio-engines-missing" />
      </div>
      {mode === "single" && (
        <label className="field">
          <span>{t("studio.language")}</span>
          <select className="input" data-testid="studio-language" value={props.language} onChange={(e) => props.onLanguage(e.target.value)}>
            <option value="">{t("studio.languageAuto")}</option>
            <LanguageOptions codes={languageChoices} />
          </select>
        </label>
      )}
      <label className="field">
        <span className="field-label-row">
          {t("studio.speed")} <output className="muted">{speed.toFixed(2)}×</output>
        </span>
        <input type="range" data-testid="studio-speed" min={0.5} max={2} step={0.05} value={speed} onChange={(e) => props.onSpeed(Number(e.target.value))} />
      </label>
      <label className="field">
        <span className="field-label-row">
          {t("studio.pitch")} <output className="muted">{t("studio.semitones", { n: pitch.toFixed(1) })}</output>
        </span>
        <input type="range" data-testid="studio-pitch" min={-12} max={12} step={0.5} value={pitch} onChange={(e) => props.onPitch(Number(e.target.value))} />
      </label>
      <label className="field">
        <span>{t("studio.seed")}</span>
        <input
          className="input"
          data-testid="studio-seed"
          inputMode="numeric"
          value={props.seed}
          placeholder={t("studio.seedRandom")}
          onChange={(e) => props.onSeed(e.target.value.replace(/[^0-9]/g, "").slice(0, 10))}
        />
      </label>
      {mismatch && <LanguageMismatch mismatch={mismatch} voiceName={voice?.name ?? ""} onChoose={props.onVoice} />}
      <Alert testId="studio-error">{props.startError}</Alert>
      <div className="studio-actions">
        <button
          type="button"
          className="btn btn-primary btn-block"
          data-testid="studio-generate"
          disabled={props.starting || props.running || voices === null || mismatch !== null || props.blockedReason !== null}
          aria-describedby={props.blockedReason ? "studio-generate-blocked" : undefined}
          onClick={props.onGenerate}
        >
          {props.starting ? t("studio.starting") : t("studio.generate")}
        </button>
        {props.blockedReason && (
          <p className="bad-text small" id="studio-generate-blocked" data-testid="studio-generate-blocked">
            {props.blockedReason}
          </p>
        )}
      </div>
    </aside>
  );
}
