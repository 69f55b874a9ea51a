import { useCallback, useEffect, useRef, useState } from "react";
import {
  api,
  TERMINAL_EVENTS,
  TERMINAL_STATUSES,
  type Job,
  type JobEvent,
  type QueueStatus,
  type SystemInfo,
  type SystemStats,
  type SystemStatus,
} from "../api";
import { errorMessage } from "../errors";
import { formatTime } from "../format";
import { useI18n } from "../i18n";
import { useSocketMessages, useSocketReconnect, useSocketState, useSocketTopic, type SocketMessage } from "../ws";
import { DiagnosticsPanel, type DiagnosticsRun } from "./system/DiagnosticsPanel";
import { jobPercent } from "./system/jobText";
import { HISTORY_SECONDS, LiveStats } from "./system/LiveStats";
import { QueuePanel } from "./system/QueuePanel";
import { InfoPanel, StatusPanel } from "./system/ServerPanels";

const QUEUE_POLL_MS = 5000;
const QUEUE_DEBOUNCE_MS = 300;
const STATUS_POLL_MS = 30000;
const DIAG_POLL_MS = 2000;

function ConnectionBadge() {
  const { t } = useI18n();
  const { state, reconnecting } = useSocketState();
  const text =
    state === "live" ? t("ws.live") : state === "connecting" ? t(reconnecting ? "ws.reconnecting" : "ws.connecting") : t("ws.offline");
  return (
    <span className={`ws-badge ws-${state}`} title={t("ws.title")}>
      <span className="ws-dot" aria-hidden="true" />
      <span data-testid="ws-status" data-state={state}>
        {text}
      </span>
    </span>
  );
}

function runFromJob(job: Job, previous: DiagnosticsRun | null): DiagnosticsRun {
  return {
    taskId: job.task_id,
    status: job.status,
    percent: jobPercent(job),
    message: job.message,
    error: job.error,
    cancelRequested: job.cancel_requested || (previous?.cancelRequested ?? false),
    job: TERMINAL_STATUSES.has(job.status) ? job : null,
  };
}

export function SystemPage() {
  const { t, locale } = useI18n();

  // ---- live stats -------------------------------------------------------------------------------
  const [stats, setStats] = useState<SystemStats | null>(null);
  const [history, setHistory] = useState<number[]>([]);
  useSocketTopic("system.stats");

  // ---- queue --------------------------------------------------------------------------------------
  const [queue, setQueue] = useState<QueueStatus | null>(null);
  const [queueError, setQueueError] = useState<string | null>(null);
  const debounceTimer = useRef<number | undefined>(undefined);

  const loadQueue = useCallback(async () => {
    try {
      setQueue(await api.get<QueueStatus>("/api/queue/status"));
      setQueueError(null);
    } catch (err) {
      setQueueError(errorMessage(err, t));
    }
  }, [t]);

  const loadQueueSoon = useCallback(() => {
    window.clearTimeout(debounceTimer.current);
    debounceTimer.current = window.setTimeout(() => void loadQueue(), QUEUE_DEBOUNCE_MS);
  }, [loadQueue]);

  useEffect(() => {
    void loadQueue();
    const timer = window.setInterval(() => void loadQueue(), QUEUE_POLL_MS);
    return () => {
      window.clearInterval(timer);
      window.clearTimeout(debounceTimer.current);
    };
  }, [loadQueue]);

  const cancelJob = useCallback(
    async (taskId: string) => {
      try {
        await api.post<Job>("/api/job/cancel", { task_id: taskId });
        setQueueError(null);
      } catch (err) {
        setQueueError(errorMessage(err, t));
      }
      await loadQueue();
    },
    [loadQueue, t],
  );

  // ---- server status and machine info ------------------------------------------------------------
  const [status, setStatus] = useState<SystemStatus | null>(null);
  const [statusError, setStatusError] = useState<string | null>(null);
  const [statusAt, setStatusAt] = useState(() => Date.now());
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const loadStatus = useCallback(async () => {
    try {
      const next = await api.get<SystemStatus>("/api/system/status");
      setStatus(next);
      setStatusAt(Date.now());
      setStatusError(null);
    } catch (err) {
      setStatusError(errorMessage(err, t));
    }
  }, [t]);

  useEffect(() => {
    void loadStatus();
    const timer = window.setInterval(() => void loadStatus(), STATUS_POLL_MS);
    return () => window.clearInterval(timer);
  }, [loadStatus]);

  useEffect(() => {
    let alive = true;
    api
      .get<SystemInfo>("/api/system/info")
      .then((next) => alive && (setInfo(next), setInfoError(null)))
      .catch((err: unknown) => alive && setInfoError(errorMessage(err, t)));
    return () => {
      alive = false;
    };
  }, [t]);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);

  // ---- diagnostics --------------------------------------------------------------------------------
  const [diag, setDiag] = useState<DiagnosticsRun | null>(null);
  const [diagStarting, setDiagStarting] = useState(false);
  const [diagError, setDiagError] = useState<string | null>(null);
  const diagRef = useRef<DiagnosticsRun | null>(null);
  diagRef.current = diag;
  const fetchingResult = useRef<string | null>(null);

  const loadDiagJob = useCallback(async (taskId: string) => {
    try {
      const job = await api.get<Job>(`/api/jobs/${encodeURIComponent(taskId)}`);
      setDiag((prev) => (prev && prev.taskId === taskId && (!prev.job || prev.status !== job.status) ? runFromJob(job, prev) : prev));
    } catch (err) {
      setDiagError(errorMessage(err, t));
    }
  }, [t]);

  // Fallback polling while a run is active, in case an event was missed (e.g. during a reconnect).
  const diagActive = diag !== null && diag.taskId !== null && !TERMINAL_STATUSES.has(diag.status);
  const diagTaskId = diag?.taskId ?? null;
  useEffect(() => {
    if (!diagActive || !diagTaskId) return;
    const timer = window.setInterval(() => void loadDiagJob(diagTaskId), DIAG_POLL_MS);
    return () => window.clearInterval(timer);
  }, [diagActive, diagTaskId, loadDiagJob]);

  // When a run ends (via an event), fetch the full job with its result once.
  useEffect(() => {
    if (!diag || !diag.taskId || !TERMINAL_STATUSES.has(diag.status) || diag.job) return;
    if (fetchingResult.current === diag.taskId) return;
    fetchingResult.current = diag.taskId;
    void loadDiagJob(diag.taskId);
  }, [diag, loadDiagJob]);

  const runDiagnostics = async () => {
    setDiagStarting(true);
    setDiagError(null);
    fetchingResult.current = null;
    try {
      const started = await api.post<{ task_id: string; status: string }>("/api/system/diagnostics", {});
      setDiag({
        taskId: started.task_id,
        status: started.status || "pending",
        percent: null,
        message: null,
        error: null,
        cancelRequested: false,
        job: null,
      });
      loadQueueSoon();
    } catch (err) {
      setDiagError(errorMessage(err, t));
    } finally {
      setDiagStarting(false);
    }
  };

  const cancelDiagnostics = async () => {
    const taskId = diagRef.current?.taskId;
    if (!taskId) return;
    setDiag((prev) => (prev ? { ...prev, cancelRequested: true } : prev));
    try {
      const job = await api.post<Job>("/api/job/cancel", { task_id: taskId });
      setDiag((prev) => (prev && prev.taskId === taskId ? runFromJob(job, prev) : prev));
    } catch (err) {
      setDiag((prev) => (prev ? { ...prev, cancelRequested: false } : prev));
      setDiagError(errorMessage(err, t));
    }
    loadQueueSoon();
  };

  // ---- socket messages ----------------------------------------------------------------------------
  useSocketMessages((message: SocketMessage) => {
    if (message.type === "system.stats") {
      const next = message as unknown as SystemStats;
      if (!next.cpu) return;
      setStats(next);
      setHistory((prev) => [...prev, next.cpu.percent].slice(-HISTORY_SECONDS));
      return;
    }
    if (message.type.startsWith("job.")) {
      const event = message as unknown as JobEvent;
      const taskId = event.task_id ?? event.job_id;
      loadQueueSoon();
      const current = diagRef.current;
      if (taskId && current && current.taskId === taskId && !current.job) {
        // A terminal event ends the run even if its status string is one we don't know.
        const status =
          event.type in TERMINAL_EVENTS && !TERMINAL_STATUSES.has(event.status)
            ? TERMINAL_EVENTS[event.type]
            : event.status || "running";
        setDiag((prev) =>
          prev && prev.taskId === taskId && !prev.job
            ? {
                ...prev,
                status,
                percent: jobPercent(event) ?? prev.percent,
                message: event.message ?? prev.message,
                error: typeof event.error === "string" ? event.error : prev.error,
              }
            : prev,
        );
      }
    }
    // hello, pong, subscribed, unsubscribed, error and unknown types need nothing here.
  });

  useSocketReconnect(() => {
    void loadQueue();
    void loadStatus();
    const current = diagRef.current;
    if (current?.taskId && !TERMINAL_STATUSES.has(current.status)) void loadDiagJob(current.taskId);
  });

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("system.title")}</h1>
          <p className="lead">{t("system.lead")}</p>
        </div>
        <div className="page-header-side">
          <ConnectionBadge />
          {stats && (
            <span className="muted small">{t("system.updated", { time: formatTime(new Date(stats.timestamp * 1000), locale) })}</span>
          )}
        </div>
      </header>

      <LiveStats stats={stats} history={history} />

      <div className="grid grid-2">
        <QueuePanel queue={queue} error={queueError} onCancel={cancelJob} />
        <DiagnosticsPanel
          run={diag}
          starting={diagStarting}
          startError={diagError}
          onRun={() => void runDiagnostics()}
          onCancel={() => void cancelDiagnostics()}
        />
      </div>

      <div className="grid grid-2">
        <StatusPanel status={status} error={statusError} fetchedAt={statusAt} now={now} />
        <InfoPanel info={info} error={infoError} />
      </div>
    </div>
  );
}
