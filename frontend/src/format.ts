/** Number, size, duration and date formatting in the user's language. */
import type { TFunction } from "./i18n";

const BYTE_UNITS = ["unit.B", "unit.KiB", "unit.MiB", "unit.GiB", "unit.TiB"] as const;

export function formatNumber(value: number, locale: string, fractionDigits = 1): string {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/** Seconds in the user's language, one decimal unless told: "2.7 s", "2,7 с"; a dash when unknown. */
export function formatSeconds(seconds: number | null | undefined, t: TFunction, locale: string, digits = 1): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return t("common.notApplicable");
  return t("unit.secondsValue", { value: formatNumber(seconds, locale, digits) });
}

/** A length as a list shows it: "2.7 s" under a minute, "1:05" (or "1:02:05") from a minute on. */
export function formatLength(seconds: number | null | undefined, t: TFunction, locale: string): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return t("common.notApplicable");
  if (seconds < 59.95) return formatSeconds(seconds, t, locale);
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Binary units: 1 GiB = 1024³ bytes. */
export function formatBytes(bytes: number | null | undefined, t: TFunction, locale: string): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return t("common.notApplicable");
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : value >= 100 ? 0 : 1;
  return `${formatNumber(value, locale, digits)} ${t(BYTE_UNITS[unit])}`;
}

/** A percentage with one decimal in the user's language ("27.0", "27,0"), no unit; a dash when unknown. */
export function formatPercent(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return formatNumber(value, locale, 1);
}

/** A percentage as scripts read it (a `data-value`): always one decimal and a dot, no unit. */
export function percentText(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return value.toFixed(1);
}

export function clampPercent(value: number | null | undefined): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return 0;
  return Math.min(100, Math.max(0, value));
}

export function formatDuration(totalSeconds: number, t: TFunction): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = seconds % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} ${t("unit.days")}`);
  if (days || hours) parts.push(`${hours} ${t("unit.hours")}`);
  if (days || hours || minutes) parts.push(`${minutes} ${t("unit.minutes")}`);
  if (!days && !hours) parts.push(`${secs} ${t("unit.seconds")}`);
  return parts.join(" ");
}

export function parseDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(value: string | null | undefined, locale: string): string | null {
  const date = parseDate(value);
  if (!date) return null;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

export function formatDate(value: string | null | undefined, locale: string): string | null {
  const date = parseDate(value);
  if (!date) return null;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(date);
}

export function formatTime(value: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: "medium" }).format(value);
}
