import { api } from "../../api";
import { useState } from "react";
import { type ConflictStrategy, type ImportPreview, type ImportResult } from "../../cloning/api";
import { Modal } from "../../components/Modal";
import { errorMessage } from "../../errors";
import { formatBytes, formatDateTime } from "../../format";
import { useI18n } from "../../i18n";
import { engineText, kindText } from "./labels";

interface Props {
  onClose: () => void;
  onImported: (result: ImportResult) => void;
}

const STRATEGIES: ConflictStrategy[] = ["rename", "skip", "replace"];

/** Choose a .clonyvoice file, see what it holds and what clashes, pick a conflict strategy, import. */
export function ImportDialog({ onClose, onImported }: Props) {
  const { t, locale } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [strategy, setStrategy] = useState<ConflictStrategy>("rename");
  const [busy, setBusy] = useState<"preview" | "import" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setPreview(null);
    setResult(null);
    setError(null);
    if (!chosen) return;
    setBusy("preview");
    try {
      const form = new FormData();
      form.append("file", chosen, chosen.name);
      setPreview(await api.form<ImportPreview>("/api/voices/import/preview", form));
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(null);
    }
  };

  const runImport = async () => {
    if (!file) return;
    setBusy("import");
    setError(null);
    try {
      const form = new FormData();
      form.append("file", file, file.name);
      form.append("conflict", strategy);
      const done = await api.form<ImportResult>("/api/voices/import", form);
      setResult(done);
      onImported(done);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(null);
    }
  };

  const conflicts = preview?.voices.filter((voice) => voice.conflict).length ?? 0;

  return (
    <Modal title={t("portability.importTitle")} onClose={onClose} testId="import-dialog">
      {!result && (
        <label className="field">
          <span>{t("portability.file")}</span>
          <input
            type="file"
            accept=".clonyvoice,application/zip"
            data-testid="import-file"
            disabled={busy !== null}
            onChange={(event) => void choose(event.target.files?.[0] ?? null)}
          />
        </label>
      )}
      {busy === "preview" && (
        <p className="muted small">
          <span className="spinner spinner-sm" aria-hidden="true" /> {t("portability.checking")}
        </p>
      )}
      {error && (
        <p className="alert alert-error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {preview && !result && (
        <div className="import-preview" data-testid="import-preview" data-voices={preview.voices.length} data-conflicts={conflicts}>
          <p className="muted small">
            {t("portability.summary", {
              n: preview.voices.length,
              files: preview.file_count,
              size: formatBytes(preview.total_bytes, t, locale),
              version: preview.app_version,
              date: formatDateTime(preview.exported_at, locale) ?? preview.exported_at,
            })}
          </p>
          <div className="table-scroll import-table">
            <table className="table">
              <thead>
                <tr>
                  <th>{t("portability.voice")}</th>
                  <th>{t("portability.engine")}</th>
                  <th>{t("portability.content")}</th>
                  <th>{t("portability.action")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.voices.map((voice) => (
                  <tr key={voice.id} data-testid={`import-voice-${voice.id}`} data-conflict={voice.conflict ? "true" : "false"}>
                    <td>
                      <strong>{voice.name}</strong>
                      <div className="muted small">
                        {kindText(voice.kind, t)}
                        {voice.category ? ` · ${voice.category}` : ""}
                      </div>
                    </td>
                    <td>
                      {engineText(voice.engine, t)}
                      {!voice.engine_installed && <div className="bad-text small">{voice.engine_known ? t("portability.notInstalled") : t("portability.unknownEngine")}</div>}
                    </td>
                    <td className="small">
                      {t("portability.samples", { n: voice.samples })}
                      {voice.has_preview ? ` · ${t("portability.hasPreview")}` : ""}
                    </td>
                    <td className="small">
                      <span className={`chip ${voice.action === "unavailable" ? "chip-warn" : "chip-muted"}`}>{t(`portability.actions.${voice.action === "link" || voice.action === "unavailable" ? voice.action : "create"}`)}</span>
                      {voice.conflict && <div className="warn-text">{t("portability.nameTaken")}</div>}
                      {voice.warnings.map((warning) => (
                        <div key={warning} className="muted">
                          {warning}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {(preview.warnings.length > 0 || preview.unknown_engines.length > 0) && (
            <div className="alert alert-warn small" data-testid="import-warnings">
              {preview.unknown_engines.length > 0 && <div>{t("portability.unknownEngines", { engines: preview.unknown_engines.join(", ") })}</div>}
              {preview.warnings.map((warning) => (
                <div key={warning}>{warning}</div>
              ))}
            </div>
          )}
          <fieldset className="strategy" data-testid="import-strategy" aria-label={t("portability.action")}>
            <div className="strategy-title">
              {conflicts > 0 ? t("portability.conflicts", { n: conflicts, names: preview.conflicts.join(", ") }) : t("portability.noConflicts")}
            </div>
            {STRATEGIES.map((value) => (
              <label key={value} className="strategy-option">
                <input
                  type="radio"
                  name="import-strategy"
                  value={value}
                  data-testid={`import-strategy-${value}`}
                  checked={strategy === value}
                  onChange={() => setStrategy(value)}
                />
                <span>
                  <strong>{t(`portability.strategy.${value}`)}</strong>
                  <span className="muted small"> — {t(`portability.strategyHint.${value}`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
        </div>
      )}
      {result && (
        <div className="alert alert-success" data-testid="import-result" data-created={result.created.length}>
          {t("portability.imported", {
            created: result.created.length,
            replaced: result.replaced.length,
            linked: result.linked.length,
            skipped: result.skipped.length,
          })}
          {result.categories_created.length > 0 && <div className="small">{t("portability.categoriesCreated", { names: result.categories_created.join(", ") })}</div>}
          {result.unavailable.length > 0 && <div className="small">{t("portability.unavailable", { n: result.unavailable.length })}</div>}
        </div>
      )}
      <div className="actions import-actions">
        <button type="button" className="btn btn-secondary" data-testid="import-close" onClick={onClose}>
          {result ? t("portability.done") : t("common.cancel")}
        </button>
        {!result && (
          <button type="button" className="btn btn-primary" data-testid="import-run" disabled={!preview || busy !== null} onClick={() => void runImport()}>
            {busy === "import" ? t("portability.importing") : t("portability.importN", { n: preview?.voices.length ?? 0 })}
          </button>
        )}
      </div>
    </Modal>
  );
}
