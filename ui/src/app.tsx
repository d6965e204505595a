import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { Link, Route, Routes } from "react-router";
import type { SessionInfo } from "../../core/ui-api-types";
import { api, ApiError } from "./api";
import { ErrorMessage } from "./components/message";
import { ComparePage } from "./pages/compare-page";
import { PackagesPage } from "./pages/packages-page";
import { RunPage } from "./pages/run-page";
import { RunsPage } from "./pages/runs-page";
import { SignInPage } from "./pages/sign-in-page";
import { SessionContext } from "./session";
import { tokenStore, UNAUTHENTICATED_EVENT } from "./token-store";

// The chart library is most of the bundle and only the timeline needs it: loaded when opened.
const TimelinePage = lazy(() => import("./pages/timeline-page").then((m) => ({ default: m.TimelinePage })));

type SessionState = { state: "loading" } | { state: "ok"; session: SessionInfo } | { state: "sign-in"; reason: string | null } | { state: "error"; error: Error };

export function App() {
  const [session, setSession] = useState<SessionState>({ state: "loading" });

  const load = useCallback(() => {
    api.session().then(
      (s) => setSession({ state: "ok", session: s }),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setSession({ state: "sign-in", reason: tokenStore.get() ? `Your token was refused: ${error.message}` : null });
        else setSession({ state: "error", error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
  }, []);
  useEffect(load, [load]);

  // A token revoked or expired while the tab is open: any 401 sends the user back to sign in.
  useEffect(() => {
    const onUnauthenticated = (event: Event) => {
      tokenStore.clear();
      // Only a signed-in tab is signed out; the sign-in page shows its own refusals.
      const reason = `Signed out: ${String((event as CustomEvent<string>).detail)}`;
      setSession((prev) => (prev.state === "ok" ? { state: "sign-in", reason } : prev));
    };
    window.addEventListener(UNAUTHENTICATED_EVENT, onUnauthenticated);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, onUnauthenticated);
  }, []);

  const signOut = () => {
    tokenStore.clear();
    setSession({ state: "sign-in", reason: "Signed out." });
  };

  const principal = session.state === "ok" ? session.session.principal : null;
  return (
    <>
      <header className="top">
        <Link to="/" className="brand">
          snaptrail
        </Link>
        <nav>
          <Link to="/">Runs</Link>
          <Link to="/packages">Packages</Link>
        </nav>
        <div className="who">
          {principal && (
            <>
              <span>
                {principal.name || principal.tokenId} <span className="role">({principal.role})</span>
              </span>
              <button type="button" className="sign-out" onClick={signOut}>
                Sign out
              </button>
            </>
          )}
        </div>
      </header>
      <main>
        {session.state === "loading" && (
          <div className="loading" style={{ minHeight: 900 }} aria-busy="true">
            Loading…
          </div>
        )}
        {session.state === "error" && <ErrorMessage error={session.error} what="the collector's session" />}
        {session.state === "sign-in" && <SignInPage reason={session.reason} onSignedIn={(s) => setSession({ state: "ok", session: s })} />}
        {session.state === "ok" && (
          <SessionContext.Provider value={session.session}>
            <Routes>
              <Route path="/" element={<RunsPage />} />
              <Route path="/runs/:runId" element={<RunPage />} />
              <Route path="/compare" element={<ComparePage />} />
              <Route path="/packages" element={<PackagesPage />} />
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
          </SessionContext.Provider>
        )}
      </main>
    </>
  );
}
