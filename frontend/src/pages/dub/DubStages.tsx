import { formatSeconds } from "../../format";
import { useI18n } from "../../i18n";
import { DUB_STAGES } from "./api";

interface Props {
  /** The stage running now (null: not started yet, or over). */
  current: string | null;
  status: string;
  /** Seconds each finished stage took, when the dub says. */
  seconds?: { name: string; seconds: number }[];
  /** A library voice: nothing is cloned. */
  skipClone: boolean;
}

type State = "done" | "current" | "stopped" | "waiting" | "skipped";

/** The dub's stages in order: done, the one running now, still to come (or skipped). */
export function DubStages({ current, status, seconds = [], skipClone }: Props) {
  const { t, locale } = useI18n();
  const at = current ? DUB_STAGES.indexOf(current as (typeof DUB_STAGES)[number]) : -1;
  const took = new Map(seconds.map((item) => [item.name, item.seconds]));

  const active = status === "running" || status === "pending";
  const stateOf = (index: number, name: string): State => {
    if (name === "clone" && skipClone && !took.has(name)) return "skipped";
    if (status === "succeeded") return "done";
    if (at >= 0 && index < at) return "done";
    if (index === at) return active ? "current" : "stopped";
    return took.has(name) ? "done" : "waiting";
  };

  return (
    <ol className="dub-stages" data-testid="dub-stages" data-stage={current ?? ""}>
      {DUB_STAGES.map((name, index) => {
        const state = stateOf(index, name);
        return (
          <li
            key={name}
            className={`dub-stage dub-stage-${state}`}
            data-testid={`dub-stage-${name}`}
            data-state={state}
            aria-current={state === "current" ? "step" : undefined}
          >
            <span className="dub-stage-mark" aria-hidden="true">
              {state === "done" ? "✓" : index + 1}
            </span>
            <span className="dub-stage-name">{t(`dub.stage.${name}`)}</span>
            {took.has(name) && <span className="muted small dub-stage-time">{formatSeconds(took.get(name), t, locale)}</span>}
            {state === "skipped" && <span className="muted small">{t("dub.stage.skipped")}</span>}
          </li>
        );
      })}
    </ol>
  );
}
