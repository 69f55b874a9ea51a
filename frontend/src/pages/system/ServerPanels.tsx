import type { SystemInfo, SystemStatus } from "../../api";
import { formatBytes, formatDuration } from "../../format";
import { hasMessage, useI18n, type TFunction } from "../../i18n";

/** `ml.reason` until the `gpu` worker has told its torch and CUDA (the worker's own reasons are its words). */
const NO_GPU_WORKER = "no_gpu_worker";

/** The server's label of an engine, unless its words need translating (`status.engine.<name>`). */
function engineLabel(name: string, label: string | undefined, t: TFunction): string {
  const key = `status.engine.${name}`;
  return hasMessage(key) ? t(key) : label || name;
}

function Health({ ok }: { ok: boolean }) {
  const { t } = useI18n();
  return <span className={`chip ${ok ? "chip-finished" : "chip-failed"}`}>{ok ? t("status.healthy") : t("status.down")}</span>;
}

export function StatusPanel({
  status,
  error,
  fetchedAt,
  now,
}: {
  status: SystemStatus | null;
  error: string | null;
  fetchedAt: number;
  now: number;
}) {
  const { t } = useI18n();
  return (
    <section className="card">
      <header className="card-header">
        <h2>{t("status.title")}</h2>
      </header>
      {error && <p className="alert alert-error">{error}</p>}
      {!status ? (
        !error && <p className="muted">{t("common.loading")}</p>
      ) : (
        <>
          <dl className="kv">
            <dt>{t("status.version")}</dt>
            <dd>{status.version}</dd>
            <dt>{t("status.uptime")}</dt>
            <dd>{formatDuration(status.uptime_seconds + Math.max(0, (now - fetchedAt) / 1000), t)}</dd>
            <dt>{t("status.dataDir")}</dt>
            <dd>
              <code>{status.data_dir}</code>
            </dd>
            <dt>{t("status.database")}</dt>
            <dd>
              <Health ok={status.database.ok} /> <span className="muted">{status.database.vendor}</span>
            </dd>
            <dt>{t("status.redis")}</dt>
            <dd>
              <Health ok={status.redis.ok} />{" "}
              <span className="muted">
                {status.redis.embedded ? t("status.redisEmbedded") : t("status.redisExternal")}
                {status.redis.version ? ` · ${status.redis.version}` : ""}
              </span>
            </dd>
            <dt>{t("status.broker")}</dt>
            <dd>
              <Health ok={status.broker.ok} />
            </dd>
          </dl>

          <h3 className="subhead">
            {t("status.workers")} <span className="count">{status.workers_alive}</span>
          </h3>
          {status.workers.length === 0 ? (
            <p className="alert alert-warn">{t("status.noWorkers")}</p>
          ) : (
            <table className="table table-compact table-cards">
              <thead>
                <tr>
                  <th>{t("status.workerHost")}</th>
                  <th className="num">{t("status.workerPid")}</th>
                  <th>{t("status.workerQueues")}</th>
                  <th className="num">{t("status.workerThreads")}</th>
                  <th className="num">{t("status.workerJobs")}</th>
                </tr>
              </thead>
              <tbody>
                {status.workers.map((worker) => (
                  <tr key={`${worker.host}-${worker.pid}`}>
                    <td className="strong">{worker.host}</td>
                    <td className="num" data-label={t("status.workerPid")}>
                      {worker.pid}
                    </td>
                    <td data-label={t("status.workerQueues")}>
                      {worker.queues.map((q) => (
                        <span className="chip chip-muted" key={q}>
                          {q}
                        </span>
                      ))}
                    </td>
                    <td className="num" data-label={t("status.workerThreads")}>
                      {worker.threads}
                    </td>
                    <td className="num" data-label={t("status.workerJobs")}>
                      {worker.running_jobs.length}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h3 className="subhead">{t("status.engines")}</h3>
          {status.engines.length === 0 ? (
            <p className="muted" data-testid="engines-empty">
              {t("status.noEngines")}
            </p>
          ) : (
            <ul className="engines">
              {status.engines.map((engine) => (
                <li key={engine.name}>
                  <span>{engineLabel(engine.name, engine.label, t)}</span>
                  <span className={`chip ${engine.installed ? "chip-finished" : "chip-muted"}`}>
                    {engine.installed ? t("status.engineInstalled") : t("status.engineMissing")}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

export function InfoPanel({ info, error }: { info: SystemInfo | null; error: string | null }) {
  const { t, locale } = useI18n();
  return (
    <section className="card">
      <header className="card-header">
        <h2>{t("info.title")}</h2>
      </header>
      {error && <p className="alert alert-error">{error}</p>}
      {!info ? (
        !error && <p className="muted">{t("common.loading")}</p>
      ) : (
        <dl className="kv">
          <dt>{t("info.cpuModel")}</dt>
          <dd>{info.cpu.model || t("common.notApplicable")}</dd>
          <dt>{t("info.cores")}</dt>
          <dd>
            {t("info.coresValue", {
              physical: info.cpu.physical_cores ?? t("common.notApplicable"),
              logical: info.cpu.logical_cores ?? t("common.notApplicable"),
            })}
          </dd>
          <dt>{t("info.arch")}</dt>
          <dd>{info.cpu.architecture}</dd>
          <dt>{t("info.memory")}</dt>
          <dd>{formatBytes(info.memory.total, t, locale)}</dd>
          <dt>{t("info.os")}</dt>
          <dd>
            {info.os.system} {info.os.release}
            <div className="muted small">{info.os.platform}</div>
          </dd>
          <dt>{t("info.python")}</dt>
          <dd>{info.python}</dd>
          <dt>{t("info.torch")}</dt>
          <dd>{info.ml.reason === NO_GPU_WORKER ? t("info.noGpuWorker") : (info.ml.torch ?? t("info.torchMissing"))}</dd>
          <dt>{t("info.cuda")}</dt>
          <dd>
            {info.ml.cuda_available ? t("common.yes") : t("common.no")}
            {info.ml.reason && info.ml.reason !== NO_GPU_WORKER && <div className="muted small">{info.ml.reason}</div>}
          </dd>
        </dl>
      )}
    </section>
  );
}
