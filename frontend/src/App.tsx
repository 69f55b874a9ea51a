import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { useAuth } from "./auth";
import { Layout } from "./components/Layout";
import { errorMessage } from "./errors";
import { useT } from "./i18n";
import { ApiKeysPage } from "./pages/ApiKeys";
import { ClonePage } from "./pages/Clone";
import { DesignPage } from "./pages/Design";
import { DubPage } from "./pages/Dub";
import { HistoryPage } from "./pages/History";
import { LibraryPage } from "./pages/Library";
import { LoginPage } from "./pages/Login";
import { MontagesPage } from "./pages/Montages";
import { NotFound } from "./pages/Placeholder";
import { StudioPage } from "./pages/Studio";
import { SystemPage } from "./pages/System";
import { TimelinePage } from "./pages/Timeline";
import { ToolsPage } from "./pages/Tools";
import { SocketProvider } from "./ws";

function Splash() {
  const t = useT();
  return (
    <div className="splash" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      <span>{t("common.loading")}</span>
    </div>
  );
}

function StartupError() {
  const t = useT();
  const { error, refresh } = useAuth();
  return (
    <div className="splash">
      <div className="card startup-error">
        <h1>{t("common.appError")}</h1>
        <p className="alert alert-error">{errorMessage(error, t)}</p>
        <button type="button" className="btn btn-primary" onClick={() => refresh().catch(() => undefined)}>
          {t("common.retry")}
        </button>
      </div>
    </div>
  );
}

/** Signed-in area: the layout, with one live socket for all its pages. */
function Protected() {
  const { session, refresh } = useAuth();
  const location = useLocation();
  if (!session.authenticated) return <Navigate to="/login" replace state={{ from: location }} />;
  return (
    <SocketProvider onUnauthorized={() => refresh().catch(() => undefined)}>
      <Layout />
    </SocketProvider>
  );
}

function AppRoutes() {
  const { status } = useAuth();
  if (status === "loading") return <Splash />;
  if (status === "error") return <StartupError />;
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<Protected />}>
        <Route index element={<Navigate to="/library" replace />} />
        <Route path="library" element={<LibraryPage />} />
        <Route path="studio" element={<StudioPage />} />
        <Route path="clone" element={<ClonePage />} />
        <Route path="design" element={<DesignPage />} />
        <Route path="timeline" element={<TimelinePage />} />
        <Route path="montages" element={<MontagesPage />} />
        <Route path="history" element={<HistoryPage />} />
        <Route path="tools" element={<ToolsPage />} />
        <Route path="dub" element={<DubPage />} />
        <Route path="system" element={<SystemPage />} />
        <Route path="api-keys" element={<ApiKeysPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}
