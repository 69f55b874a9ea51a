import { useT } from "../i18n";

interface Props {
  message: string;
  /** How to install what is missing, when the server said. */
  hint: string | null;
  testId: string;
  hintTestId?: string;
  /** The error code the server answered, as `data-code`. */
  code?: string;
}

/** The error of a tool that failed to start, with the install hint when there is one. */
export function ToolError({ message, hint, testId, hintTestId, code }: Props) {
  const t = useT();
  return (
    <div className="alert alert-error" role="alert" data-testid={testId} data-code={code}>
      {message}
      {hint && (
        <div className="small" data-testid={hintTestId}>
          {t("tools.installHint", { hint })}
        </div>
      )}
    </div>
  );
}
