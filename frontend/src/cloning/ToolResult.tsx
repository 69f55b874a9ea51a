import type { ReactNode } from "react";

interface Props {
  testId: string;
  /** Chips about the result, left in its head. */
  facts: ReactNode;
  /** Buttons or links, right in its head. */
  actions: ReactNode;
  /** The text the tool produced. */
  text: ReactNode;
  textTestId: string;
  /** Shown under the text. */
  children?: ReactNode;
}

/** The result of a text tool (transcription, translation): facts and actions, then the text. */
export function ToolResult({ testId, facts, actions, text, textTestId, children }: Props) {
  return (
    <div className="tool-result" data-testid={testId}>
      <div className="tool-result-head">
        {facts}
        <span className="spacer" />
        {actions}
      </div>
      <p className="transcript-text" data-testid={textTestId}>
        {text}
      </p>
      {children}
    </div>
  );
}
