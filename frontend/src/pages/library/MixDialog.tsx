import { useMemo, useState, type FormEvent } from "react";
import { api, type MixComponent, type Voice } from "../../api";
import { Modal } from "../../components/Modal";
import { errorMessage } from "../../errors";
import { useI18n } from "../../i18n";
import { languageNames, speaks } from "../../voices";
import { kindText } from "./labels";

/** Engines whose voices can be blended (the server answers `not_mixable` for the others). */
const MIXING_ENGINES = new Set(["kokoro"]);
/** The server takes at most this many components. */
const MAX_COMPONENTS = 8;

export function mixable(voice: Voice): boolean {
  return MIXING_ENGINES.has(voice.engine) && voice.is_available;
}

interface Row {
  voiceId: string;
  weight: number;
}

interface Props {
  /** The voices that can be mixed (presets and the user's own mixes). */
  voices: Voice[];
  onClose: () => void;
  onCreated: (voice: Voice) => void;
}

/** Languages every chosen voice speaks, as the server computes them for the new voice. */
function commonLanguages(chosen: Voice[]): string[] {
  if (chosen.length === 0) return [];
  const [first, ...rest] = chosen;
  return first.languages.filter((code) => rest.every((voice) => speaks(voice.languages, code)));
}

/** Pick 2–8 voices of an engine that mixes, weight them, name the blend and create it with POST /api/voices. */
export function MixDialog({ voices, onClose, onCreated }: Props) {
  const { t, locale } = useI18n();
  const [rows, setRows] = useState<Row[]>(() =>
    voices.slice(0, 2).map((voice) => ({ voiceId: voice.id, weight: 0.5 })),
  );
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const byId = useMemo(() => new Map(voices.map((voice) => [voice.id, voice])), [voices]);
  const total = rows.reduce((sum, row) => sum + (Number.isFinite(row.weight) ? Math.max(0, row.weight) : 0), 0);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const chosen = rows.map((row) => byId.get(row.voiceId)).filter((voice): voice is Voice => Boolean(voice));
  const languages = languageNames(commonLanguages(chosen), locale);

  const update = (index: number, patch: Partial<Row>) => {
    setError(null);
    setRows((prev) => prev.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  };

  const addRow = () => {
    const unused = voices.find((voice) => !rows.some((row) => row.voiceId === voice.id)) ?? voices[0];
    if (unused) setRows((prev) => [...prev, { voiceId: unused.id, weight: 0.5 }]);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (new Set(rows.map((row) => row.voiceId)).size < 2) {
      setError(t("mix.needTwoDifferent"));
      return;
    }
    if (!(total > 0)) {
      setError(t("mix.zeroWeights"));
      return;
    }
    const mix: MixComponent[] = rows.map((row) => ({ voice_id: row.voiceId, weight: row.weight }));
    setBusy(true);
    try {
      const created = await api.post<Voice>("/api/voices", { name: name.trim(), description: "", mix });
      onCreated(created);
    } catch (err) {
      setError(errorMessage(err, t));
      setBusy(false);
    }
  };

  return (
    <Modal title={t("mix.title")} onClose={onClose} testId="mix-dialog">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <p className="muted small">{t("mix.lead")}</p>
        <ol className="mix-rows">
          {rows.map((row, index) => {
            const share = total > 0 ? Math.max(0, row.weight) / total : 0;
            return (
              <li className="mix-row" key={index}>
                <select
                  className="input"
                  data-testid={`mix-voice-${index}`}
                  aria-label={t("mix.voiceN", { n: index + 1 })}
                  value={row.voiceId}
                  onChange={(e) => update(index, { voiceId: e.target.value })}
                >
                  {voices.map((voice) => (
                    <option key={voice.id} value={voice.id}>
                      {voice.kind === "preset" ? voice.name : `${voice.name} (${kindText(voice.kind, t)})`}
                    </option>
                  ))}
                </select>
                <input
                  type="range"
                  min={0}
                  max={1}
                  step={0.05}
                  value={row.weight}
                  aria-label={t("mix.weightN", { n: index + 1 })}
                  onChange={(e) => update(index, { weight: Number(e.target.value) })}
                />
                <input
                  type="number"
                  className="input mix-weight"
                  data-testid={`mix-weight-${index}`}
                  min={0}
                  max={1}
                  step={0.05}
                  value={Number.isFinite(row.weight) ? row.weight : ""}
                  aria-label={t("mix.weightN", { n: index + 1 })}
                  onChange={(e) => update(index, { weight: e.target.value === "" ? 0 : Math.min(1, Math.max(0, Number(e.target.value))) })}
                />
                <output className="mix-share" data-testid={`mix-share-${index}`} title={t("mix.shareHint")}>
                  {percent.format(share)}
                </output>
                <button
                  type="button"
                  className="btn btn-sm btn-secondary"
                  data-testid={`mix-remove-${index}`}
                  aria-label={t("mix.remove")}
                  title={t("mix.remove")}
                  disabled={rows.length <= 2}
                  onClick={() => setRows((prev) => prev.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ol>
        <div className="mix-foot">
          <button type="button" className="link-btn" data-testid="mix-add" disabled={rows.length >= MAX_COMPONENTS} onClick={addRow}>
            {t("mix.add")}
          </button>
          <span className="muted small" data-testid="mix-languages">
            {languages.length ? t("mix.languages", { languages: languages.map((item) => item.name).join(", ") }) : t("mix.noLanguages")}
          </span>
        </div>
        <label className="field">
          <span>{t("mix.name")}</span>
          <input
            data-testid="mix-name"
            value={name}
            maxLength={120}
            placeholder={t("mix.namePlaceholder")}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        {error && (
          <p className="alert alert-error" role="alert" data-testid="mix-error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary" data-testid="mix-create" disabled={busy}>
            {busy ? t("mix.creating") : t("mix.create")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
