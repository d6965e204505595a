// Where the browser keeps the API token: sessionStorage. It survives reloads within the tab and
// is gone when the tab closes (unlike localStorage, where it would outlive the session on a
// shared machine). It never goes in a URL (history, logs, Referer) or a cookie: the API reads
// it only from the Authorization header the UI's own script sets, so another site cannot make
// a browser send it (no CSRF).

const KEY = "snaptrail.apiToken";

export const tokenStore = {
  get(): string | null {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  clear(): void {
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // nothing kept
    }
  },
};

/** Fired on window when the API answers 401: the session shows the sign-in page. */
export const UNAUTHENTICATED_EVENT = "snaptrail:unauthenticated";
