import { Link } from "react-router";
import { useT, type MessageKey } from "../i18n";

export function Placeholder({ title, lead }: { title: MessageKey; lead: MessageKey }) {
  const t = useT();
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t(title)}</h1>
          <p className="lead">{t(lead)}</p>
        </div>
      </header>
      <section className="card empty-state">
        <div className="empty-icon" aria-hidden="true">
          <i />
          <i />
          <i />
          <i />
          <i />
        </div>
        <p data-testid="not-available">{t("placeholder.notAvailable")}</p>
      </section>
    </div>
  );
}

export function NotFound() {
  const t = useT();
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("notFound.title")}</h1>
          <p className="lead">{t("notFound.body")}</p>
        </div>
      </header>
      <p>
        <Link className="btn btn-primary" to="/library">
          {t("notFound.back")}
        </Link>
      </p>
    </div>
  );
}
