import { TERMINAL_STATUSES, type DiagnosticCheck } from "../../api";
import { ProgressBar } from "../../components/ProgressBar";
import { useI18n } from "../../i18n";
import { statusText } from "../../jobText";

export interface DiagnosticsRun {
  taskId: string | null;
  status: string;
  percent: number | null;
  message: string | null;
  error: string | null;
  cancelRequested: boolean;
  /** The finished job's result. */
  result: unknown;
}

interface Props {
  run: DiagnosticsRun | null;
  starting: boolean;
  startError: string | null;
  onRun: () => void;
  onCancel: () => void;
}

function checksOf(value: unknown): { checks: DiagnosticCheck[]; ok: boolean | null } | null {
  const result = value as { checks?: unknown; ok?: unknown } | null | undefined;
  if (!result || typeof result !== "object") return null;
  const checks = Array.isArray(result.checks)
    ? (result.checks.filter((c) => c && typeof c === "object") as DiagnosticCheck[])
    : [];
  return { checks, ok: typeof result.ok === "boolean" ? result.ok : null };
}

export function DiagnosticsPanel({ run, starting, startError, onRun, onCancel }: Props) {
  const { t } = useI18n();
  const active = run !== null && !TERMINAL_STATUSES.has(run.status);
  const outcome = run && run.status === "succeeded" ? checksOf(run.result) : null;

  return (
    <section className="card">
      <header className="card-header">
        <div>
          <h2>{t("diag.title")}</h2>
          <p className="muted small">{t("diag.lead")}</p>
        </div>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="diagnostics-run"
          onClick={onRun}
          disabled={starting || active}
        >
          {starting ? t("diag.starting") : run ? t("diag.runAgain") : t("diag.run")}
        </button>
      </header>
      {startError && (
        <p className="alert alert-error" role="alert">
          {startError}
        </p>
      )}
      {run && (
        <div className="diag-run" data-testid="diagnostics-status" data-status={run.status}>
          <div className="job-head">
            <span className={`chip chip-${run.status}`}>{statusText(run.status, t)}</span>
            <span className="muted small">{run.message ?? ""}</span>
            <span className="spacer" />
            {active && (
              <button
                type="button"
                className="btn btn-sm btn-secondary"
                data-testid="diagnostics-cancel"
                onClick={onCancel}
                disabled={run.cancelRequested}
              >
                {run.cancelRequested ? t("common.cancelling") : t("common.cancel")}
              </button>
            )}
          </div>
          {active && <ProgressBar value={run.status === "running" ? run.percent : run.percent ?? 0} label={t("diag.title")} />}
          {run.status === "failed" && run.error && <p className="alert alert-error">{run.error}</p>}
        </div>
      )}
      {outcome && (
        <div className="diag-results">
          <p className={`alert ${outcome.ok === false ? "alert-error" : "alert-success"}`} data-testid="diagnostics-ok" data-ok={String(outcome.ok)}>
            {outcome.ok === false ? t("diag.someFailed") : t("diag.allOk")}
          </p>
          <table className="table" data-testid="diagnostics-results">
              <thead>
                <tr>
                  <th className="col-icon">{t("diag.result")}</th>
                  <th>{t("diag.check")}</th>
                  <th>{t("diag.detail")}</th>
                </tr>
              </thead>
              <tbody>
                {outcome.checks.length === 0 && (
                  <tr>
                    <td colSpan={3} className="muted">
                      {t("diag.noChecks")}
                    </td>
                  </tr>
                )}
                {outcome.checks.map((check, i) => (
                  <tr key={`${check.name}-${i}`} data-ok={String(check.ok)}>
                    <td className="col-icon">
                      <span
                        className={check.ok ? "check-ok" : "check-bad"}
                        title={check.ok ? t("diag.passed") : t("diag.failedCheck")}
                        aria-label={check.ok ? t("diag.passed") : t("diag.failedCheck")}
                      >
                        {check.ok ? "✓" : "✗"}
                      </span>
                    </td>
                    <td>{check.name}</td>
                    <td className="muted">{check.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
        </div>
      )}
    </section>
  );
}
