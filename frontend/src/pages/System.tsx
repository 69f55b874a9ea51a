import { useCallback, useEffect, useRef, useState } from "react";
import { api, type Job, type QueueStatus, type SystemInfo, type SystemStatus } from "../api";
import type { SystemStatsEvent } from "../events";
import { errorMessage } from "../errors";
import { formatTime } from "../format";
import { useI18n } from "../i18n";
import { useJobEvents } from "../jobs";
import { useSocketMessages, useSocketReconnect, useSocketState, useSocketTopic } from "../ws";
import { DiagnosticsPanel } from "./system/DiagnosticsPanel";
import { HISTORY_SECONDS, LiveStats } from "./system/LiveStats";
import { QueuePanel } from "./system/QueuePanel";
import { InfoPanel, StatusPanel } from "./system/ServerPanels";
import { useDiagnostics } from "./system/useDiagnostics";

const QUEUE_POLL_MS = 5000;
const QUEUE_DEBOUNCE_MS = 300;
const STATUS_POLL_MS = 30000;

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

export function SystemPage() {
  const { t, locale } = useI18n();

  // ---- live stats -------------------------------------------------------------------------------
  const [stats, setStats] = useState<SystemStatsEvent | null>(null);
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
  const diag = useDiagnostics(loadQueueSoon);

  // ---- socket messages ----------------------------------------------------------------------------
  useSocketMessages((message) => {
    if (message.type === "system.stats") {
      const next = message as unknown as SystemStatsEvent;
      if (!next.cpu) return;
      setStats(next);
      setHistory((prev) => [...prev, next.cpu.percent].slice(-HISTORY_SECONDS));
      return;
    }
    // hello, pong, subscribed, unsubscribed, error and unknown types need nothing here.
  });

  useJobEvents(loadQueueSoon);

  useSocketReconnect(() => {
    void loadQueue();
    void loadStatus();
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
          run={diag.run}
          starting={diag.starting}
          startError={diag.error}
          onRun={() => void diag.start()}
          onCancel={() => void diag.cancel()}
        />
      </div>

      <div className="grid grid-2">
        <StatusPanel status={status} error={statusError} fetchedAt={statusAt} now={now} />
        <InfoPanel info={info} error={infoError} />
      </div>
    </div>
  );
}
