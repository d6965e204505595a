import type { CacheHit, OutputProducer, RunDetail, RunDiff, RunQuery, RunSummary, StoredSnapshot } from "./api-types.js";
import { apiTokenFromEnv } from "./auth/resolve-api-token.js";
import { ConfigError, type ErrorCode, errorForCode, InternalError, isErrorCode, NotFoundError, SnaptrailError, UnavailableError } from "./errors.js";
import { CLIENT_TLS_ENV, clientTlsSettingsFromEnv, loadClientTls, refusePlaintextWithTls, type ClientTls } from "./tls/client-tls.js";
import { httpsFetch } from "./tls/https-fetch.js";

export const DEFAULT_COLLECTOR_HTTP = "http://127.0.0.1:8077";
export const COLLECTOR_HTTP_ENV = "SNAPTRAIL_COLLECTOR_HTTP";

/** The collector's HTTP address: flag, then SNAPTRAIL_COLLECTOR_HTTP, then the default. */
export function resolveCollectorUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env[COLLECTOR_HTTP_ENV] || DEFAULT_COLLECTOR_HTTP;
}

export interface CollectorHttpClientOptions {
  /** Per request, connection included. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** The API token sent as a bearer token; unset: SNAPTRAIL_TOKEN or SNAPTRAIL_TOKEN_FILE of `env`. */
  token?: string;
  /** CA and client certificate for an https:// address; unset: SNAPTRAIL_TLS_CA, SNAPTRAIL_TLS_CERT, SNAPTRAIL_TLS_KEY of `env`. */
  tls?: ClientTls;
  env?: NodeJS.ProcessEnv;
}

/**
 * The collector's query API (HTTP JSON) as the CLI and the agent (restore, cache lookups) use it. Every failure is a SnaptrailError
 * whose message can be shown as is: NotFoundError for an unknown run, UnavailableError when the
 * collector cannot be reached, otherwise the collector's own message and code.
 */
export class CollectorHttpClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly headers: Record<string, string>;

  constructor(baseUrl: string, opts: CollectorHttpClientOptions = {}) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new ConfigError(`collector address ${JSON.stringify(baseUrl)} is not a URL (expected e.g. ${DEFAULT_COLLECTOR_HTTP})`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new ConfigError(`collector address ${baseUrl} must start with http:// or https://`);
    }
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    const env = opts.env ?? process.env;
    const tls = opts.tls ?? loadClientTls(clientTlsSettingsFromEnv(env));
    if (url.protocol === "http:") refusePlaintextWithTls(tls, baseUrl, `the collector's HTTP address (--collector-http, env ${COLLECTOR_HTTP_ENV})`, "https://");
    this.fetchFn = opts.fetch ?? (tls ? httpsFetch(tls) : fetch);
    const token = opts.token ?? apiTokenFromEnv(env);
    this.headers = { accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
  }

  async listRuns(q: RunQuery): Promise<RunSummary[]> {
    const params = new URLSearchParams();
    for (const key of ["pipeline", "step", "status", "package", "version", "limit"] as const) {
      const v = q[key];
      if (v !== undefined && v !== "") params.set(key, String(v));
    }
    const qs = params.toString();
    const body = await this.get<{ runs: RunSummary[] }>(`/api/v1/runs${qs ? `?${qs}` : ""}`, () => "no runs found");
    return body.runs;
  }

  getRun(id: string): Promise<RunDetail> {
    return this.get<RunDetail>(`/api/v1/runs/${encodeURIComponent(id)}`, () => `no run matches ${id}`);
  }

  diff(a: string, b: string): Promise<RunDiff> {
    const qs = new URLSearchParams({ a, b }).toString();
    // The collector says which of the two it could not find; fall back to naming both.
    return this.get<RunDiff>(`/api/v1/diff?${qs}`, (serverMessage) => serverMessage ?? `no run matches ${a} or ${b}`);
  }

  getSnapshot(digest: string): Promise<StoredSnapshot> {
    return this.get<StoredSnapshot>(`/api/v1/snapshots/${encodeURIComponent(digest)}`, () => `no snapshot ${digest} is stored`);
  }

  /** Runs that recorded an output with this content, newest first (none: an empty list). */
  async findOutputProducers(digest: string, limit?: number): Promise<OutputProducer[]> {
    const qs = limit === undefined ? "" : `?limit=${limit}`;
    const body = await this.get<{ producers: OutputProducer[] }>(`/api/v1/outputs/${encodeURIComponent(digest)}${qs}`, (m) => m ?? `no route for outputs`);
    return body.producers;
  }

  /** The run whose outputs can stand in for running a command with this cache key; undefined on a miss. */
  async getCacheHit(key: string): Promise<CacheHit | undefined> {
    try {
      return await this.get<CacheHit>(`/api/v1/cache/${encodeURIComponent(key)}`, (m) => m ?? `no cache hit for key ${key}`);
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  /** A blob's bytes (a code archive, a cached output). */
  async getBlob(digest: string): Promise<Buffer> {
    const path = `/api/v1/blobs/${encodeURIComponent(digest)}`;
    let res: Response;
    let bytes: ArrayBuffer;
    try {
      res = await this.fetchFn(this.baseUrl + path, { headers: { ...this.headers, accept: "application/octet-stream" }, signal: AbortSignal.timeout(this.timeoutMs) });
      bytes = await res.arrayBuffer();
    } catch (err) {
      throw this.networkError(err);
    }
    if (res.ok) return Buffer.from(bytes);
    const { message, code } = errorBody(parseJson(Buffer.from(bytes).toString("utf8")));
    if (res.status === 404) throw new NotFoundError(message ?? `blob ${digest} is not stored`);
    throw errorForCode(code ?? (res.status >= 500 ? "INTERNAL" : "BAD_INPUT"), message ?? `the collector answered HTTP ${res.status} for blob ${digest}`);
  }

  private async get<T>(path: string, notFound: (serverMessage: string | undefined) => string): Promise<T> {
    const url = this.baseUrl + path;
    let res: Response;
    try {
      res = await this.fetchFn(url, { headers: this.headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw this.networkError(err);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw this.networkError(err);
    }
    const body = parseJson(text);
    if (res.ok) {
      if (body === undefined) throw new InternalError(`the collector at ${this.baseUrl} answered ${path} with something that is not JSON`);
      return body as T;
    }
    const { message, code } = errorBody(body);
    if (res.status === 404 && (code === undefined || code === "NOT_FOUND")) throw new NotFoundError(notFound(message));
    const detail = message ?? (text.trim().slice(0, 200) || res.statusText);
    const errCode: ErrorCode = code ?? (res.status === 503 ? "UNAVAILABLE" : res.status >= 500 ? "INTERNAL" : "BAD_INPUT");
    if (errCode === "NOT_FOUND") throw new NotFoundError(detail);
    if (errCode === "UNAVAILABLE") throw new UnavailableError(`the collector at ${this.baseUrl} is unavailable: ${detail}`);
    throw errorForCode(errCode, res.status >= 500 ? `the collector failed (HTTP ${res.status}): ${detail}` : detail);
  }

  private networkError(err: unknown): SnaptrailError {
    if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
      return new UnavailableError(`the collector at ${this.baseUrl} did not answer within ${Math.round(this.timeoutMs / 1000)} s`, { cause: err });
    }
    const code = causeCode(err);
    if (code && TLS_REFUSALS.test(code)) {
      return new UnavailableError(
        `the collector at ${this.baseUrl} presented a certificate this client does not trust (${code}): give the CA that signed it with --tls-ca or ${CLIENT_TLS_ENV.tlsCa}`,
        { cause: err },
      );
    }
    if (code === "ECONNRESET" && this.baseUrl.startsWith("https:")) {
      return new UnavailableError(`the collector at ${this.baseUrl} closed the TLS connection (ECONNRESET): does it speak TLS, and does it ask for a client certificate (${CLIENT_TLS_ENV.tlsCert}, ${CLIENT_TLS_ENV.tlsKey})?`, { cause: err });
    }
    const why = code && code !== "ECONNREFUSED" ? ` (${code})` : "";
    return new UnavailableError(
      `cannot reach the collector at ${this.baseUrl}${why}: is \`snaptrail collector\` running? (set --collector-http or ${COLLECTOR_HTTP_ENV})`,
      { cause: err },
    );
  }
}

/** Node's codes for a server certificate that fails verification (untrusted, wrong name, expired). */
const TLS_REFUSALS = /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_|ERR_TLS_CERT_ALTNAME_INVALID$|HOSTNAME_MISMATCH$)/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * {code, message} from the collector ({error, code} from older ones); an ambiguous run
 * prefix also lists its `candidates`.
 */
function errorBody(body: unknown): { message: string | undefined; code: ErrorCode | undefined } {
  if (typeof body !== "object" || body === null) return { message: undefined, code: undefined };
  const { message: text, error, code, candidates } = body as { message?: unknown; error?: unknown; code?: unknown; candidates?: unknown };
  const given = typeof text === "string" && text !== "" ? text : error;
  let message = typeof given === "string" && given !== "" ? given : undefined;
  if (message && Array.isArray(candidates) && candidates.length > 0) {
    message += `: ${candidates.filter((c): c is string => typeof c === "string").join(", ")}`;
  }
  return {
    message,
    code: isErrorCode(code) ? code : undefined,
  };
}

/** undici wraps the socket error: TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }). */
function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
