import { LanguageOptions } from "../components/LanguageOptions";
import { useI18n } from "../i18n";
import { MissingPairList, MissingTargetOptions } from "./MissingPairs";
import type { LanguagePairs } from "./useLanguagePairs";

interface Props {
  pairs: LanguagePairs;
  source: string;
  target: string;
  onSource: (code: string) => void;
  onTarget: (code: string) => void;
  labels: { source: string; auto: string; target: string };
  testIds: { source: string; target: string; missing: string };
  /** An extra class for the list of missing directions. */
  missingClassName?: string;
  disabled?: boolean;
}

/** From which language ("auto": detected) into which: the source's targets, and the missing ones with the command
 * that installs each. */
export function LanguagePairFields({ pairs, source, target, onSource, onTarget, labels, testIds, missingClassName, disabled }: Props) {
  const { t } = useI18n();
  const { loaded, sources, targets, missing } = pairs;
  return (
    <>
      <div className="form-row">
        <label className="field field-grow">
          <span>{labels.source}</span>
          <select data-testid={testIds.source} value={source} disabled={disabled} onChange={(e) => onSource(e.target.value)}>
            <option value="auto">{labels.auto}</option>
            <LanguageOptions codes={sources} />
          </select>
        </label>
        <label className="field field-grow">
          <span>{labels.target}</span>
          <select data-testid={testIds.target} value={target} disabled={disabled} onChange={(e) => onTarget(e.target.value)}>
            {targets.length === 0 && <option value="">{loaded ? t("common.none") : t("common.loading")}</option>}
            <LanguageOptions codes={targets} />
            <MissingTargetOptions missing={missing} />
          </select>
        </label>
      </div>
      <MissingPairList missing={missing} testId={testIds.missing} className={missingClassName} />
    </>
  );
}
