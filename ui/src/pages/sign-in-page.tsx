import { useState, type FormEvent } from "react";
import type { SessionInfo } from "../../../core/ui-api-types";
import { api, ApiError } from "../api";
import { tokenStore } from "../token-store";

// Shown when the API answers 401: the collector runs with --auth tokens and this tab holds no
// valid token. The token is checked against GET /api/v1/session before the app opens.

export function SignInPage({ reason, onSignedIn }: { reason: string | null; onSignedIn: (session: SessionInfo) => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = token.trim();
    if (value === "") {
      setError("Paste an API token first (snaptrail token create --role reader).");
      return;
    }
    setBusy(true);
    setError(null);
    tokenStore.set(value);
    try {
      onSignedIn(await api.session());
    } catch (err) {
      tokenStore.clear();
      setError(err instanceof ApiError && err.status === 401 ? `That token was refused: ${err.message}` : `Could not sign in: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sign-in card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to this collector</h1>
      <p>
        This collector checks an API token on every call. Paste yours (from <code>snaptrail token create</code>, run by an admin on the
        collector's host).
      </p>
      {reason && (
        <p className="hint" role="status">
          {reason}
        </p>
      )}
      <form onSubmit={(e) => void onSubmit(e)}>
        <label htmlFor="api-token">API token</label>
        <input
          id="api-token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="snaptrail_…"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoFocus
        />
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
      <div className="sign-in-error" aria-live="polite">
        {error && (
          <div className="message error" role="alert">
            {error}
          </div>
        )}
      </div>
      <p className="hint">
        Kept in this tab only (sessionStorage): it survives a reload and is gone when the tab closes. It is never put in a URL or a
        cookie.
      </p>
    </section>
  );
}
