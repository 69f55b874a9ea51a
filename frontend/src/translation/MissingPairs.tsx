/**
 * The translation directions nothing installed covers: offered, disabled, among the targets, and listed with the
 * command that installs each.
 */
import { useI18n } from "../i18n";
import { languageName } from "../voices";
import type { MissingPair } from "./useLanguagePairs";

/** The missing targets as disabled options, inside a target language <select>. */
export function MissingTargetOptions({ missing }: { missing: MissingPair[] }) {
  const { t, locale } = useI18n();
  if (missing.length === 0) return null;
  return (
    <optgroup label={t("translateMissing.group")}>
      {missing.map((pair) => (
        <option key={pair.target} value={pair.target} disabled>
          {t("translateMissing.option", { language: languageName(pair.target, locale) })}
        </option>
      ))}
    </optgroup>
  );
}

interface ListProps {
  missing: MissingPair[];
  /** The list's data-testid; each direction's is this followed by -source-target. */
  testId: string;
  className?: string;
}

/** Each missing direction with its install command, folded. */
export function MissingPairList({ missing, testId, className = "" }: ListProps) {
  const { t, locale } = useI18n();
  if (missing.length === 0) return null;
  return (
    <details className={`muted small${className ? ` ${className}` : ""}`} data-testid={testId}>
      <summary>{t("translateMissing.title", { n: missing.length })}</summary>
      {missing.map((pair) => (
        <p key={`${pair.source}-${pair.target}`} data-testid={`${testId}-${pair.source}-${pair.target}`}>
          {t("translateMissing.pair", { source: languageName(pair.source, locale), target: languageName(pair.target, locale) })}{" "}
          <code>{pair.install}</code>
        </p>
      ))}
    </details>
  );
}
