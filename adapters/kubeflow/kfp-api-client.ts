import { ConfigError, errorMessage, ForbiddenError, NotFoundError, SubmitRefusedError, UnauthenticatedError, UnavailableError } from "../../core/errors.js";
import { orchestratorBaseUrl } from "../orchestrator-base-url.js";

/** KFP's answer to a failed call (grpc-gateway's runtimeError / googlerpcStatus): the message is what it says. */
interface KfpError {
  error?: unknown;
  message?: unknown;
  code?: unknown;
}

export interface KfpApiClientOptions {
  /** The KFP API's base address (the ml-pipeline service or the gateway in front of it), http(s)://HOST[:PORT][/PATH]. */
  url: string;
  /** A bearer token; never printed. */
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The largest answer read from KFP: a run or pipeline version with its spec is far smaller. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * The few KFP v2beta1 REST calls the resubmitter makes, each failure turned into an error that
 * says what KFP answered and that nothing was submitted (every call before the POST only reads).
 */
export class KfpApiClient {
  readonly base: string;

  constructor(private readonly options: KfpApiClientOptions) {
    this.base = orchestratorBaseUrl("--kfp", options.url, "the KFP API");
    if (options.token === "") throw new ConfigError("KFP needs a bearer token: give --kfp-token-file FILE or set KFP_TOKEN (nothing was submitted)");
  }

  get<T>(path: string, what: string): Promise<T> {
    return this.call<T>("GET", path, undefined, what);
  }

  post<T>(path: string, body: unknown, what: string): Promise<T> {
    return this.call<T>("POST", path, body, what);
  }

  private async call<T>(method: "GET" | "POST", path: string, body: unknown, what: string): Promise<T> {
    const url = `${this.base}${path}`;
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(url, {
        method,
        headers: { accept: "application/json", authorization: `Bearer ${this.options.token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? errorMessage(err);
      throw new UnavailableError(`KFP at ${this.base} cannot be reached (${cause}) while ${what}; nothing was submitted`, { cause: err });
    }
    const text = await res.text();
    if (text.length > MAX_ANSWER_BYTES) throw new SubmitRefusedError(`KFP at ${this.base} answered ${what} with more than ${MAX_ANSWER_BYTES} bytes; nothing was submitted`);
    let json: unknown;
    try {
      json = text === "" ? {} : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.ok && typeof json === "object" && json !== null) return json as T;
    const said = kfpMessage(json) ?? text.trim().slice(0, 2000);
    const summary = `KFP at ${this.base} answered HTTP ${res.status} to ${method} ${path} (${what})`;
    if (res.ok) throw new SubmitRefusedError(`${summary} with something that is not a JSON object: ${said.slice(0, 200)}`);
    if (res.status === 401) throw new UnauthenticatedError(`${summary}: the token was refused (missing, expired or not valid for this KFP); nothing was submitted${said ? `:\n${said}` : ""}`);
    if (res.status === 403) throw new ForbiddenError(`${summary}: the token's account may not do this (check its KFP profile / namespace access); nothing was submitted${said ? `:\n${said}` : ""}`);
    if (res.status === 404) throw new NotFoundError(`${summary}: not found; nothing was submitted${said ? `:\n${said}` : ""}`);
    if (res.status >= 500) throw new UnavailableError(`${summary}: KFP failed; nothing was submitted${said ? `:\n${said}` : ""}`);
    if (res.status >= 300 && res.status < 400) throw new ConfigError(`${summary}: a redirect to ${res.headers.get("location") ?? "?"} (a login page? --kfp must name the API, with a token); nothing was submitted`);
    throw new SubmitRefusedError(`${summary}: refused; nothing was submitted${said ? `:\n${said}` : ""}`);
  }
}

function kfpMessage(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const e = json as KfpError;
  const m = typeof e.message === "string" && e.message !== "" ? e.message : typeof e.error === "string" ? e.error : undefined;
  return m;
}
