import type { SystemStats } from "../../api";
import { ProgressBar } from "../../components/ProgressBar";
import { Sparkline } from "../../components/Sparkline";
import { formatBytes, formatNumber, formatPercent, percentText } from "../../format";
import { hasMessage, useI18n, type TFunction } from "../../i18n";

export const HISTORY_SECONDS = 60;

/** Why there is no GPU, in words: the API sends a code (`no_nvidia_gpu`, `nvml_not_installed`, `nvml_error`). */
function gpuReasonText(reason: string | null, t: TFunction): string {
  const key = `system.gpuReason.${reason ?? ""}`;
  return reason && hasMessage(key) ? t(key) : t("system.noGpu");
}

function pct(used: number, total: number): number {
  return total > 0 ? (used / total) * 100 : 0;
}

function Meter({
  label,
  percent,
  detail,
  testId,
}: {
  label: string;
  percent: number;
  detail: string;
  testId?: string;
}) {
  const { locale } = useI18n();
  return (
    <div className="meter">
      <div className="meter-head">
        <span className="meter-label">{label}</span>
        <span className="meter-value">
          <span data-testid={testId} data-value={percentText(percent)}>
            {formatPercent(percent, locale)}
          </span>
          <span className="unit">%</span>
        </span>
      </div>
      <ProgressBar value={percent} label={label} load />
      <div className="meter-detail">{detail}</div>
    </div>
  );
}

export function LiveStats({ stats, history }: { stats: SystemStats | null; history: number[] }) {
  const { t, locale } = useI18n();
  const bytes = (n: number | null | undefined) => formatBytes(n, t, locale);

  if (!stats) {
    return (
      <div className="grid grid-stats">
        <section className="card card-wide">
          <p className="muted waiting">
            <span className="spinner" aria-hidden="true" /> {t("system.waitingStats")}
          </p>
        </section>
      </div>
    );
  }

  const { cpu, memory, swap, disk, gpu, process } = stats;
  // As `df` counts it: blocks reserved for root are neither used nor free.
  const diskPercent = disk.percent ?? pct(disk.used, disk.used + disk.free);

  return (
    <div className="grid grid-stats">
      <section className="card card-cpu">
        <header className="card-header">
          <h2>{t("system.cpu")}</h2>
          <span className="muted small">{t("system.cores", { n: cpu.cores })}</span>
        </header>
        <div className="cpu-top">
          <div className="big-number">
            <span data-testid="cpu-percent" data-timestamp={String(stats.timestamp)} data-value={percentText(cpu.percent)}>
              {formatPercent(cpu.percent, locale)}
            </span>
            <span className="unit">%</span>
            <div className="muted small">{t("system.cpuTotal")}</div>
          </div>
          <div className="cpu-spark">
            <Sparkline values={history} capacity={HISTORY_SECONDS} label={t("system.cpuHistory")} />
            <div className="muted small">{t("system.cpuHistory")}</div>
          </div>
        </div>
        <h3 className="subhead">{t("system.perCore")}</h3>
        <div className="cores">
          {cpu.per_core.map((value, i) => (
            <div className="core" key={i} title={`${t("system.core", { n: i })}: ${formatPercent(value, locale)} %`}>
              <span className="core-label">{i}</span>
              <ProgressBar value={value} size="sm" load label={t("system.core", { n: i })} />
              <span className="core-value">{formatPercent(value, locale)}%</span>
            </div>
          ))}
        </div>
      </section>

      <section className="card">
        <header className="card-header">
          <h2>{t("system.memory")}</h2>
        </header>
        <Meter
          label={t("system.ram")}
          percent={memory.percent}
          detail={t("system.usedOf", { used: bytes(memory.used), total: bytes(memory.total) })}
          testId="ram-percent"
        />
        {swap.total > 0 ? (
          <Meter
            label={t("system.swap")}
            percent={swap.percent}
            detail={t("system.usedOf", { used: bytes(swap.used), total: bytes(swap.total) })}
          />
        ) : (
          <p className="muted small">{t("system.noSwap")}</p>
        )}
        <dl className="kv kv-compact">
          <dt>{t("system.process")}</dt>
          <dd>
            {t("system.pid")} {process.pid} · {t("system.rss")} {bytes(process.rss)}
          </dd>
        </dl>
      </section>

      <section className="card">
        <header className="card-header">
          <h2>{t("system.disk")}</h2>
        </header>
        <Meter
          label={disk.path}
          percent={diskPercent}
          testId="disk-percent"
          detail={t("system.diskDetail", { used: bytes(disk.used), free: bytes(disk.free), total: bytes(disk.total) })}
        />
      </section>

      <section className="card">
        <header className="card-header">
          <h2>{t("system.gpu")}</h2>
        </header>
        {gpu.available && gpu.gpus.length > 0 ? (
          gpu.gpus.map((device) => (
            <div className="gpu" key={device.index}>
              <div className="gpu-name">
                #{device.index} {device.name}
              </div>
              <Meter
                label={t("system.gpuUtil")}
                percent={device.utilization_percent ?? 0}
                detail={[
                  device.temperature_c !== null ? `${t("system.gpuTemp")} ${device.temperature_c} ${t("unit.celsius")}` : null,
                  device.power_watts !== null
                    ? `${t("system.gpuPower")} ${formatNumber(device.power_watts, locale, 0)} ${t("unit.W")}`
                    : null,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              />
              {device.memory_total ? (
                <Meter
                  label={t("system.gpuMemory")}
                  percent={pct(device.memory_used ?? 0, device.memory_total)}
                  detail={t("system.usedOf", { used: bytes(device.memory_used), total: bytes(device.memory_total) })}
                />
              ) : null}
            </div>
          ))
        ) : (
          <div className="gpu-none" data-testid="gpu-none" data-reason={gpu.reason ?? ""}>
            <p>{gpuReasonText(gpu.reason, t)}</p>
            <p className="muted small">{t("system.gpuCpuNote")}</p>
          </div>
        )}
      </section>
    </div>
  );
}
