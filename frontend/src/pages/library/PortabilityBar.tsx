import { downloadFile } from "../../api";
import "../../cloning/cloning.css";
import { useState } from "react";
import { type ImportResult } from "../../cloning/api";
import { errorMessage } from "../../errors";
import { useT } from "../../i18n";
import { ImportDialog } from "./ImportDialog";

interface Props {
  selected: string[];
  onClearSelection: () => void;
  onSelectAllShown: () => void;
  onImported: (result: ImportResult) => void;
}

/** Export the selected voices as a .clonyvoice file; import one through the preview dialog. */
export function PortabilityBar({ selected, onClearSelection, onSelectAllShown, onImported }: Props) {
  const t = useT();
  const [exporting, setExporting] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [importing, setImporting] = useState(false);

  const exportSelected = async () => {
    setExporting(true);
    setMessage(null);
    try {
      const saved = await downloadFile("/api/voices/export", { voice_ids: selected }, "voices.clonyvoice");
      setMessage({ kind: "ok", text: t("portability.exported", { n: selected.length, name: saved.name }) });
    } catch (err) {
      setMessage({ kind: "error", text: errorMessage(err, t) });
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="portability" data-testid="portability-bar">
      <div className="portability-row">
        <span className="muted small" data-testid="voice-selected-count" data-count={selected.length}>
          {selected.length ? t("portability.selected", { n: selected.length }) : t("portability.selectHint")}
        </span>
        <button type="button" className="link-btn" data-testid="voice-select-all" onClick={onSelectAllShown}>
          {t("portability.selectShown")}
        </button>
        {selected.length > 0 && (
          <button type="button" className="link-btn" data-testid="voice-select-none" onClick={onClearSelection}>
            {t("portability.clearSelection")}
          </button>
        )}
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-sm btn-secondary"
          data-testid="voice-export"
          disabled={selected.length === 0 || exporting}
          onClick={() => void exportSelected()}
        >
          {exporting ? t("portability.exporting") : t("portability.export", { n: selected.length })}
        </button>
        <button type="button" className="btn btn-sm btn-secondary" data-testid="voice-import" onClick={() => setImporting(true)}>
          {t("portability.import")}
        </button>
      </div>
      {message && (
        <p className={`alert ${message.kind === "ok" ? "alert-success" : "alert-error"} small`} data-testid="voice-export-message">
          {message.text}
        </p>
      )}
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={(result) => {
            onImported(result);
          }}
        />
      )}
    </div>
  );
}
