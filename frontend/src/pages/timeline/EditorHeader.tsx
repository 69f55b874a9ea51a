/** The timeline editor's header (title, version, save) and its banners (conflict, error, notice). */
import { Link } from "react-router";
import { Alert } from "../../components/PageShell";
import { useT } from "../../i18n";
import type { Layout } from "../../timeline/api";

interface Props {
  meta: { title: string; version: number; montage_id: string | null; task_id: string | null };
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  conflict: Layout | null;
  onTheirs: () => void;
  onMine: () => void;
  error: string | null;
  notice: string | null;
}

export function EditorHeader(p: Props) {
  const t = useT();
  const backLink = p.meta.montage_id ? "/montages" : p.meta.task_id ? `/studio?generation=${encodeURIComponent(p.meta.task_id)}` : null;
  return (
    <>
    <header className="page-header">
      <div>
        <h1 className="tl-title" title={p.meta.title || undefined}>
          <span className="tl-title-text">{p.meta.title || t("nav.timeline")}</span>
          <span className="chip chip-muted" data-testid="timeline-version">
            {t("timeline.version", { version: p.meta.version })}
          </span>
        </h1>
        <p className="lead">
          {p.meta.montage_id ? t("timeline.leadMontage") : t("timeline.leadGeneration")}{" "}
          {backLink && (
            <Link to={backLink} data-testid="timeline-back">
              {p.meta.montage_id ? t("timeline.backMontages") : t("timeline.backStudio")}
            </Link>
          )}
        </p>
      </div>
      <div className="page-header-side tl-save-side">
        <span className={`small ${p.dirty ? "bad-text" : "muted"}`} data-testid="timeline-save-state">
          {p.saving ? t("timeline.saving") : p.dirty ? t("timeline.unsaved") : t("timeline.saved")}
        </span>
        <div className="row-actions">
          <Link className="btn btn-secondary" to="/timeline" data-testid="timeline-open-other">
            {t("timeline.openOther")}
          </Link>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="timeline-save"
            disabled={p.saving || !p.dirty}
            onClick={p.onSave}
          >
            {t("timeline.save")}
          </button>
        </div>
      </div>
    </header>

    {p.conflict && (
      <div className="alert alert-warn tl-conflict" role="alert" data-testid="timeline-conflict">
        <span>{t("timeline.conflict", { version: p.conflict.version })}</span>
        <div className="row-actions">
          <button type="button" className="btn btn-sm btn-secondary" data-testid="timeline-conflict-theirs" onClick={p.onTheirs}>
            {t("timeline.conflict.theirs")}
          </button>
          <button type="button" className="btn btn-sm btn-secondary" data-testid="timeline-conflict-mine" onClick={p.onMine}>
            {t("timeline.conflict.mine")}
          </button>
        </div>
      </div>
    )}
    <Alert testId="timeline-error">{p.error}</Alert>
    <Alert kind="success" testId="timeline-notice">
      {p.notice}
    </Alert>
    </>
  );
}
