import "../cloning/cloning.css";
import { useT } from "../i18n";
import { DownloadPanel } from "./tools/DownloadPanel";
import { TranscribePanel } from "./tools/TranscribePanel";
import { TranslatePanel } from "./tools/TranslatePanel";

export function ToolsPage() {
  const t = useT();
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("nav.tools")}</h1>
          <p className="lead">{t("tools.lead")}</p>
        </div>
      </header>
      <TranscribePanel />
      <TranslatePanel />
      <DownloadPanel />
    </div>
  );
}
