import { ProgressBar } from "../components/ProgressBar";
import { useT } from "../i18n";
import { statusText } from "../jobText";
import type { JobView } from "../jobs";
import { jobErrorMessage } from "../errors";

interface Props {
  job: JobView;
  testId: string;
  label: string;
  onCancel?: () => void;
  cancelling?: boolean;
}

/** Status chip, progress bar, the worker's message and the error of a failed job. */
export function JobProgress({ job, testId, label, onCancel, cancelling }: Props) {
  const t = useT();
  const indeterminate = !job.terminal && (job.percent === null || (job.status === "pending" && !job.percent));
  return (
    <div className="job-progress" data-testid={testId} data-status={job.status} data-task={job.taskId}>
      <div className="job-progress-head">
        <span className={`chip chip-${job.status}`}>{statusText(job.status, t)}</span>
        {job.percent !== null && !job.terminal && <span className="muted small">{Math.round(job.percent)} %</span>}
        {job.message && !job.terminal && (
          <span className="muted small job-progress-message" data-testid={`${testId}-message`}>
            {job.message}
          </span>
        )}
        <span className="spacer" />
        {onCancel && !job.terminal && (
          <button type="button" className="btn btn-sm btn-secondary" data-testid={`${testId}-cancel`} disabled={cancelling} onClick={onCancel}>
            {cancelling ? t("common.cancelling") : t("common.cancel")}
          </button>
        )}
      </div>
      <ProgressBar value={indeterminate ? null : job.percent ?? 0} label={label} />
      {job.status === "failed" && job.error && (
        <p className="alert alert-error small" role="alert" data-testid={`${testId}-error`}>
          {jobErrorMessage(job, t)}
        </p>
      )}
    </div>
  );
}
