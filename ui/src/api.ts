import type { PackageRunPage, RunDetail, RunDiff, RunPage, StepTimeline } from "../../core/api-types";
import type { CodeFileAnswer, ResubmitAnswer, SessionInfo } from "../../core/ui-api-types";
import { tokenStore, UNAUTHENTICATED_EVENT } from "./token-store";

// The UI's one way to the collector: its query API under /api/v1 on the same origin, with the
// signed-in token as a bearer token on every call.

/** An answer that is not 2xx, with the API's {code, message} when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** "a reader token may not resubmit runs" -> "your role (reader) cannot resubmit runs". */
function forbiddenMessage(message: string): string {
  const m = /^an? (\w+) token may not (.+)$/.exec(message);
  return m ? `your role (${m[1]}) cannot ${m[2]}` : `your role cannot do this: ${message}`;
}

async function call<T>(method: "GET" | "POST", path: string, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  const token = tokenStore.get();
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, "UNAVAILABLE", `the collector did not answer (${err instanceof Error ? err.message : String(err)})`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(response.status, "BAD_ANSWER", `the collector answered ${response.status} with something that is not JSON`);
  }
  if (!response.ok) {
    const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown };
    const said = typeof message === "string" ? message : `HTTP ${response.status}`;
    const error = new ApiError(response.status, typeof code === "string" ? code : "ERROR", response.status === 403 ? forbiddenMessage(said) : said);
    if (response.status === 401) window.dispatchEvent(new CustomEvent(UNAUTHENTICATED_EVENT, { detail: error.message }));
    throw error;
  }
  return body as T;
}

const runPath = (runId: string) => `/api/v1/runs/${encodeURIComponent(runId)}`;

export const api = {
  session: (signal?: AbortSignal) => call<SessionInfo>("GET", "/api/v1/session", signal),
  runs: (query: URLSearchParams, signal?: AbortSignal) => call<RunPage>("GET", `/api/v1/runs?${query.toString()}`, signal),
  timeline: (query: URLSearchParams, signal?: AbortSignal) => call<StepTimeline>("GET", `/api/v1/timeline?${query.toString()}`, signal),
  /** Every run that had a package (at a version or specifier in the query), with the version it had. */
  packageRuns: (name: string, query: URLSearchParams, signal?: AbortSignal) =>
    call<PackageRunPage>("GET", `/api/v1/packages/${encodeURIComponent(name)}/runs?${query.toString()}`, signal),
  run: (runId: string, signal?: AbortSignal) => call<RunDetail>("GET", runPath(runId), signal),
  diff: (a: string, b: string, signal?: AbortSignal) => call<RunDiff>("GET", `/api/v1/diff?${new URLSearchParams({ a, b }).toString()}`, signal),
  codeFile: (runId: string, path: string, signal?: AbortSignal) =>
    call<CodeFileAnswer>("GET", `${runPath(runId)}/code/file?${new URLSearchParams({ path }).toString()}`, signal),
  resubmitPlan: (runId: string, signal?: AbortSignal) => call<ResubmitAnswer>("GET", `${runPath(runId)}/resubmit`, signal),
  resubmit: (runId: string) => call<ResubmitAnswer>("POST", `${runPath(runId)}/resubmit`),
};
