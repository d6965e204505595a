import type { RunDetail, RunDiff, RunPage } from "../../core/api-types";

// The UI's one way to the collector: its query API under /api/v1 on the same origin.

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

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: "application/json" }, ...(signal ? { signal } : {}) });
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
    throw new ApiError(response.status, typeof code === "string" ? code : "ERROR", typeof message === "string" ? message : `HTTP ${response.status}`);
  }
  return body as T;
}

export const api = {
  runs: (query: URLSearchParams, signal?: AbortSignal) => getJson<RunPage>(`/api/v1/runs?${query.toString()}`, signal),
  run: (runId: string, signal?: AbortSignal) => getJson<RunDetail>(`/api/v1/runs/${encodeURIComponent(runId)}`, signal),
  diff: (a: string, b: string, signal?: AbortSignal) =>
    getJson<RunDiff>(`/api/v1/diff?${new URLSearchParams({ a, b }).toString()}`, signal),
};
