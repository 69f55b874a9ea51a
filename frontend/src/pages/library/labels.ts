/** Translated labels of a voice's kind, gender, engine and technology (unknown values are shown as they are). */
import { hasMessage, type TFunction } from "../../i18n";

export function kindText(kind: string, t: TFunction): string {
  const key = `kind.${kind}`;
  return hasMessage(key) ? t(key) : kind;
}

export function genderText(gender: string, t: TFunction): string {
  const key = `gender.${gender}`;
  return gender && hasMessage(key) ? t(key) : "";
}

export function engineText(engine: string, t: TFunction): string {
  const key = `engine.${engine}`;
  return hasMessage(key) ? t(key) : engine;
}

/** A voice's tag in the UI's language when it is one of the engines' fixed words (neural, robotic, male…). */
export function tagText(tag: string, t: TFunction): string {
  const key = `tag.${tag.toLowerCase().replace(/-/g, "_")}`;
  return hasMessage(key) ? t(key) : tag;
}

/** "Neural", "Parametric (HMM)", "Diphone", "Formant"; "" when the server did not say. */
export function technologyText(technology: string, t: TFunction): string {
  const key = `technology.${technology}`;
  return technology && hasMessage(key) ? t(key) : technology;
}

const PIPER_DESCRIPTION = /^([a-z_]+) quality, (\d+) Hz neural voice$/;

/** A preset's description in the UI's language where the engine's English follows a known pattern. */
export function presetDescription(voice: { kind: string; engine: string; engine_voice_id: string; description: string }, t: TFunction): string {
  if (voice.kind !== "preset" || !voice.description) return voice.description;
  if (voice.engine === "kokoro") return t("presetText.kokoro", { voice: voice.engine_voice_id });
  const piper = voice.engine === "piper" ? PIPER_DESCRIPTION.exec(voice.description.replace(/^.*?(\w+ quality)/, "$1")) : null;
  if (!piper) return voice.description;
  const key = `presetText.quality.${piper[1]}`;
  const quality = hasMessage(key) ? t(key) : piper[1];
  return t("presetText.piper", { quality, rate: piper[2] });
}
