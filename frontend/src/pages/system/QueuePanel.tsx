import { useState } from "react";
import type { Job, QueueStatus } from "../../api";
import { ProgressBar } from "../../components/ProgressBar";
import { formatDateTime } from "../../format";
import { useI18n } from "../../i18n";
import { jobPercent, kindText, statusText } from "../../jobText";

interface Props {
  queue: QueueStatus | null;
  error: string | null;
  onCancel: (taskId: string) => Promise<void>;
}

const QUEUE_NAMES = ["gpu", "cpu"] as const;

function JobRow({ job, onCancel }: { job: Job; onCancel: (taskId: string) => Promise<void> }) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const percent = jobPercent(job);
  const cancel = async () => {
    setBusy(true);
    try {
      await onCancel(job.task_id);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="job" data-testid={`job-${job.task_id}`} data-status={job.status}>
      <div className="job-head">
        <strong>{kindText(job.kind, t)}</strong>
        <span className={`chip chip-${job.status}`}>{statusText(job.status, t)}</span>
        <span className="chip chip-muted">{job.queue.toUpperCase()}</span>
        {job.cancel_requested && <span className="chip chip-warn">{t("queue.cancelRequested")}</span>}
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-sm btn-secondary"
          onClick={cancel}
          disabled={busy || job.cancel_requested}
          data-testid={`job-cancel-${job.task_id}`}
        >
          {busy ? t("common.cancelling") : t("common.cancel")}
        </button>
      </div>
      <ProgressBar value={job.status === "running" ? percent : percent ?? 0} label={kindText(job.kind, t)} />
      <div className="job-foot muted small">
        <span>{job.message ?? ""}</span>
        <span>
          {percent !== null ? `${Math.round(percent)} %` : ""}
          {job.created_at ? ` · ${t("queue.created", { time: formatDateTime(job.created_at, locale) ?? "" })}` : ""}
        </span>
      </div>
    </li>
  );
}

export function QueuePanel({ queue, error, onCancel }: Props) {
  const { t } = useI18n();
  const jobs = queue ? [...queue.running, ...queue.pending] : [];
  const names = [...new Set([...QUEUE_NAMES, ...Object.keys(queue?.queues ?? {})])];
  const count = (name: string, field: "pending" | "running") => queue?.queues[name]?.[field] ?? 0;
  return (
    <section className="card">
      <header className="card-header">
        <h2>{t("queue.title")}</h2>
      </header>
      {error && <p className="alert alert-error">{t("queue.loadError", { detail: error })}</p>}
      {queue ? (
        <>
          <table className="table table-compact table-cards queue-table">
            <thead>
              <tr>
                <th>{t("queue.name")}</th>
                <th className="num">{t("queue.pending")}</th>
                <th className="num">{t("queue.running")}</th>
                <th className="num">{t("queue.workers")}</th>
              </tr>
            </thead>
            <tbody>
              {names.map((name) => (
                <tr key={name}>
                  <th scope="row">
                    {name === "gpu" ? t("queue.gpu") : name === "cpu" ? t("queue.cpu") : name.toUpperCase()}
                  </th>
                  <td className="num" data-testid={`queue-${name}-pending`} data-label={t("queue.pending")}>
                    {count(name, "pending")}
                  </td>
                  <td className="num" data-testid={`queue-${name}-running`} data-label={t("queue.running")}>
                    {count(name, "running")}
                  </td>
                  <td className="num" data-label={t("queue.workers")}>
                    <span
                      data-testid={`workers-${name}`}
                      className={(queue.workers_alive[name] ?? 0) > 0 ? "ok-text" : "bad-text"}
                    >
                      {queue.workers_alive[name] ?? 0}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 className="subhead">{t("queue.yourJobs")}</h3>
          {jobs.length === 0 ? (
            <p className="muted">{t("queue.noJobs")}</p>
          ) : (
            <ul className="jobs">
              {jobs.map((job) => (
                <JobRow key={job.task_id} job={job} onCancel={onCancel} />
              ))}
            </ul>
          )}
        </>
      ) : (
        !error && <p className="muted">{t("common.loading")}</p>
      )}
    </section>
  );
}
