/**
 * Engines that are not installed, each with the command that installs it (from /api/system/status), so a
 * list of engines or voices never leaves one out silently.
 */
import { useEffect, useState } from "react";
import { api } from "../../api";
import { useT } from "../../i18n";
import type { EngineInfo, SystemStatus } from "../../types";
import { engineText } from "./labels";

export type EngineRole = "preset_voices" | "cloning";

let statusRequest: Promise<EngineInfo[]> | null = null;

/** The engines the server knows, installed or not (asked once per page load; null until it answers). */
export function useEngines(): EngineInfo[] | null {
  const [engines, setEngines] = useState<EngineInfo[] | null>(null);
  useEffect(() => {
    let alive = true;
    statusRequest ??= api.get<SystemStatus>("/api/system/status").then((status) => status.engines);
    statusRequest
      .then((list) => alive && setEngines(list))
      .catch(() => {
        statusRequest = null;
      });
    return () => {
      alive = false;
    };
  }, []);
  return engines;
}

function hasRole(engine: EngineInfo, role: EngineRole): boolean {
  const capabilities = engine.capabilities as Record<string, unknown> | undefined;
  return Boolean(capabilities?.[role]);
}

export function missingEngines(engines: EngineInfo[] | null, role: EngineRole): EngineInfo[] {
  return (engines ?? []).filter((engine) => !engine.installed && hasRole(engine, role));
}

export function installHint(engine: EngineInfo): string {
  return typeof engine.install_hint === "string" ? engine.install_hint : "";
}

interface Props {
  engines: EngineInfo[] | null;
  role: EngineRole;
  testId: string;
}

/** "Engines not installed (2)": each engine with why it is missing and its install command. */
export function UnavailableEngines({ engines, role, testId }: Props) {
  const t = useT();
  const missing = missingEngines(engines, role);
  if (missing.length === 0) return null;
  return (
    <details className="engines-unavailable muted small" data-testid={testId}>
      <summary>
        {t("engines.unavailableTitle")} ({missing.length})
      </summary>
      {missing.map((engine) => (
        <div key={engine.name} data-testid={`${testId}-${engine.name}`}>
          <span>{t("engines.unavailable", { engine: engineText(engine.name, t) === engine.name ? engine.label : engineText(engine.name, t) })}</span>{" "}
          {installHint(engine) && (
            <>
              <span>{t("engines.enableWith")}</span>
              <code>{installHint(engine)}</code>
            </>
          )}
        </div>
      ))}
    </details>
  );
}
