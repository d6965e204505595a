import { lazy, Suspense } from "react";
import { Link, Route, Routes } from "react-router";
import { ComparePage } from "./pages/compare-page";
import { RunPage } from "./pages/run-page";
import { RunsPage } from "./pages/runs-page";

// The chart library is most of the bundle and only the timeline needs it: loaded when opened.
const TimelinePage = lazy(() => import("./pages/timeline-page").then((m) => ({ default: m.TimelinePage })));

export function App() {
  return (
    <>
      <header className="top">
        <Link to="/" className="brand">
          snaptrail
        </Link>
        <nav>
          <Link to="/">Runs</Link>
        </nav>
      </header>
      <main>
        <Routes>
          <Route path="/" element={<RunsPage />} />
          <Route path="/runs/:runId" element={<RunPage />} />
          <Route path="/compare" element={<ComparePage />} />
          <Route
            path="/timeline"
            element={
              <Suspense fallback={<div className="loading" style={{ minHeight: 700 }}>Loading the timeline…</div>}>
                <TimelinePage />
              </Suspense>
            }
          />
          <Route path="*" element={<div className="message error" role="alert">No page here. <Link to="/">Back to the runs</Link>.</div>} />
        </Routes>
      </main>
    </>
  );
}
