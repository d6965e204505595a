import { errorMessage, ForbiddenError, NotFoundError, SubmitRefusedError, UnauthenticatedError, UnavailableError } from "../../core/errors.js";

/** One answer of Airflow's API server: the status, the text, and the text as JSON when it is. */
export interface AirflowAnswer {
  status: number;
  text: string;
  json: unknown;
}

/**
 * Airflow's own words in an error answer. Airflow 3 (FastAPI): {"detail": "text"} or
 * {"detail": [{"loc": [...], "msg": "..."}]}; Airflow 2 (connexion): {"title", "detail", "status"}.
 */
export function detailOf(a: AirflowAnswer): string {
  const detail = (a.json as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail.map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).join(".")}: ${d.msg ?? JSON.stringify(d)}`).join("; ");
  }
  const title = (a.json as { title?: unknown } | undefined)?.title;
  if (typeof title === "string") return title;
  return a.text.trim().slice(0, 2000);
}

export interface AirflowCallOptions {
  method?: "GET" | "POST" | "PATCH";
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** One request to Airflow at `base`; a network failure is UNAVAILABLE, which submitted nothing. */
export async function airflowCall(base: string, url: string, o: AirflowCallOptions = {}): Promise<AirflowAnswer> {
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, {
      method: o.method ?? "POST",
      headers: { accept: "application/json", ...(o.body !== undefined ? { "content-type": "application/json" } : {}), ...o.headers },
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? errorMessage(err);
    throw new UnavailableError(`Airflow at ${base} cannot be reached (${cause}); nothing was submitted`, { cause: err });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: a proxy's page; the status and the text say what happened.
  }
  return { status: res.status, text, json };
}

/** A refusal as our error, by status: `why` names what was refused, `after` what state that leaves. */
export function throwIfRefused(res: AirflowAnswer, why: string, after: string): void {
  if (res.status >= 200 && res.status < 300) return;
  const message = `${why} (HTTP ${res.status}: ${detailOf(res)}); ${after}`;
  if (res.status === 401) throw new UnauthenticatedError(message);
  if (res.status === 403) throw new ForbiddenError(message);
  if (res.status === 404) throw new NotFoundError(message);
  throw new SubmitRefusedError(message);
}
