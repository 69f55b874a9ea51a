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
