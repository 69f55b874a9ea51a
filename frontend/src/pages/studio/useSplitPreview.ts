/** The sentences the server would split a text into, asked again (debounced) as the text changes. */
import { useEffect, useState } from "react";
import { api, type SplitResult } from "../../api";
import { errorMessage } from "../../errors";
import { useT } from "../../i18n";

const PREVIEW_DEBOUNCE_MS = 400;

export function useSplitPreview(text: string, language: string, maxChars: number) {
  const t = useT();
  const [preview, setPreview] = useState<SplitResult | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  useEffect(() => {
    if (!text.trim()) {
      setPreview(null);
      setPreviewError(null);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api
        .post<SplitResult>("/api/text/split", { text, language: language || null, max_chars: maxChars }, { signal: controller.signal })
        .then((result) => {
          setPreview(result);
          setPreviewError(null);
        })
        .catch((err: unknown) => {
          if (!(err instanceof DOMException)) setPreviewError(errorMessage(err, t));
        });
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [text, language, maxChars, t]);
  return { preview, previewError };
}
