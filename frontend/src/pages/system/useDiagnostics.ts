/** The self-test run from the System page: start it, follow it with `useJob`, cancel it. */
import { useState } from "react";
import { api, type Job, type JobAccepted } from "../../api";
import { errorMessage } from "../../errors";
import { useT } from "../../i18n";
import { useJob } from "../../jobs";
import type { DiagnosticsRun } from "./DiagnosticsPanel";

export function useDiagnostics(onChange: () => void) {
  const t = useT();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cancelRequested, setCancelRequested] = useState(false);
  const { job, follow } = useJob({ onDone: onChange });

  const run: DiagnosticsRun | null = job && {
    taskId: job.taskId,
    status: job.status,
    percent: job.percent,
    message: job.message,
    error: job.error,
    cancelRequested,
    result: job.terminal ? job.result : null,
  };

  const start = async () => {
    setStarting(true);
    setError(null);
    setCancelRequested(false);
    try {
      const started = await api.post<JobAccepted>("/api/system/diagnostics", {});
      follow(started.task_id, started.status || "pending");
      onChange();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setStarting(false);
    }
  };

  const cancel = async () => {
    if (!job) return;
    setCancelRequested(true);
    try {
      await api.post<Job>("/api/job/cancel", { task_id: job.taskId });
    } catch (err) {
      setCancelRequested(false);
      setError(errorMessage(err, t));
    }
    onChange();
  };

  return { run, starting, error, start, cancel };
}
