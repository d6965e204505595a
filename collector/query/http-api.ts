import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { z } from "zod";
import type { RunDetail, RunListPosition, RunPage, RunQuery } from "../../core/api-types.js";
import { DIGEST_PATTERN } from "../../core/digest.js";
import { errorMessage, SnaptrailError, UnavailableError } from "../../core/errors.js";
import { SNAPTRAIL_VERSION } from "../../core/version.js";
import type { BlobStore } from "../blobs/blob-store.js";
import { collectorDefault, splitHostPort } from "../collector-options.js";
import { Readiness } from "../readiness.js";
import { versionMatcher } from "../store/package-match.js";
import type { Store } from "../store/store.js";
import { allows } from "../../core/auth/roles.js";
import { OPEN, HTTP_ROUTE_PERMISSIONS, type RoutePermission } from "../auth/route-permissions.js";
import type { Principal, TokenAuthenticator } from "../auth/token-authenticator.js";
import type { ServerTls } from "../tls/server-tls.js";
import { httpStatusOf } from "./http-status-of.js";
import { registerTokenRoutes } from "./token-routes.js";
import { HttpError } from "./http-error.js";
import { registerUiRoutes, type UiRouteDeps } from "./routes/ui-routes.js";
import { findWebUiDir, registerWebUi } from "./web-ui.js";

// The JSON query API. Every error answer, fastify's own included, is {code, message} (plus
// details such as `parameter` or `candidates`) with a fitting status.

export interface HttpApiDeps {
  store: Store;
  blobs: BlobStore;
  logger: Logger;
  /** What /readyz asks; by default the store and the blob store, 2 s each. */
  readiness?: Readiness;
  /** Tokens and roles on every route (HTTP_ROUTE_PERMISSIONS); absent: the API is open (loopback use). */
  auth?: TokenAuthenticator;
  /** Serve HTTPS with this certificate; absent: plain HTTP. */
  tls?: ServerTls;
  /** The web UI's build folder; undefined: the one built beside this code, if any; null: serve no UI. */
  webUiDir?: string | null;
  /** What the web UI's own routes need: links to orchestrators, resubmit through the collector. */
  ui?: UiRouteDeps;
}

declare module "fastify" {
  interface FastifyContextConfig {
    permission?: RoutePermission;
  }
  interface FastifyRequest {
    /** Who called, when auth is on and the route is not open. */
    principal?: Principal;
  }
}

export interface RunningHttpApi {
  /** "http://HOST:PORT" (https:// with TLS) with the port actually bound. */
  url: string;
  close(): Promise<void>;
}

/** Longest path segment the router takes (a run id, a digest); longer ones get 414. */
const MAX_PARAM_LENGTH = 8192;

/** The most candidates a 409 for an ambiguous run prefix lists. */
export const MAX_CANDIDATES = 10;

export { HttpError };

const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().max(1000).optional());

const limitParam = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z
    .string()
    .regex(/^[0-9]+$/, "must be a positive integer")
    .transform(Number)
    .refine((n) => n >= 1, "must be a positive integer")
    .optional(),
);

/** An ISO 8601 time (with a zone, or UTC) or unix milliseconds, as unix milliseconds. */
const timeParam = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z
    .string()
    .transform((text, ctx) => {
      const ms = /^[0-9]+$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
      if (!Number.isSafeInteger(ms)) {
        ctx.addIssue({ code: "custom", message: "must be an ISO 8601 time (2026-05-01T12:00:00Z) or unix milliseconds" });
        return z.NEVER;
      }
      return ms;
    })
    .optional(),
);

const runsQuerySchema = z.strictObject({
  pipeline: optionalText,
  step: optionalText,
  status: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["running", "succeeded", "failed"]).optional()),
  package: optionalText,
  version: optionalText,
  parent: optionalText,
  orchestrator: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["LOCAL", "AIRFLOW", "KUBEFLOW", "SLURM"]).optional()),
  since: timeParam,
  until: timeParam,
  cursor: optionalText,
  limit: limitParam,
});


const outputsQuerySchema = z.strictObject({ limit: limitParam });

/** Cache sources tried, newest first, before a lookup is a miss: one whose blobs were collected may have an older twin. */
export const MAX_CACHE_CANDIDATES = 5;

const diffQuerySchema = z.strictObject({
  a: z.string().min(1, "is required: a run id or unique prefix"),
  b: z.string().min(1, "is required: a run id or unique prefix"),
});

function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  // The query string parser turns a repeated parameter into an array: say so, whatever the schema.
  const raw = (typeof query === "object" && query !== null ? query : {}) as Record<string, unknown>;
  const repeated = Object.keys(raw).find((key) => Array.isArray(raw[key]));
  if (repeated !== undefined) {
    throw new HttpError(400, "BAD_INPUT", `invalid query parameter ${repeated}: given twice; give it once`, { parameter: repeated });
  }
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    throw new HttpError(400, "BAD_INPUT", `unknown query parameter ${issue.keys.join(", ")}`);
  }
  const key = issue.path.join(".");
  const message = issue.code === "invalid_type" && raw[key] === undefined ? "is required" : issue.message;
  throw new HttpError(400, "BAD_INPUT", `invalid query parameter ${key}: ${message}`, { parameter: key });
}

/**
 * A run by exact id, else by a unique prefix. None: 404; several: 409 listing the candidates.
 * `what` names the parameter in messages ("run", "a", "b").
 */
export async function resolveRun(store: Store, ref: string, what: string, exactOnly = false): Promise<RunDetail> {
  const exact = await store.getRun(ref);
  if (exact) return exact;
  // A prefix is a search: a caller who may not search gets the same answer for a prefix as for no run.
  if (exactOnly) throw new HttpError(404, "NOT_FOUND", `no run ${what} "${ref}"`);
  const candidates = await store.findRunIds(ref, MAX_CANDIDATES + 1);
  if (candidates.length === 1) {
    const run = await store.getRun(candidates[0]!);
    if (run) return run;
  }
  if (candidates.length === 0) throw new HttpError(404, "NOT_FOUND", `no run matches ${what} "${ref}"`);
  throw new HttpError(409, "AMBIGUOUS", `${what} "${ref}" matches more than one run; give more of the id`, {
    candidates: candidates.slice(0, MAX_CANDIDATES),
  });
}

/** A cursor is opaque to clients: base64url of [sortUnixMs, runId]. */
export function encodeCursor(position: RunListPosition): string {
  return Buffer.from(JSON.stringify([position.sortUnixMs, position.runId])).toString("base64url");
}

function decodeCursor(cursor: string): RunListPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === "string") {
      return { sortUnixMs: value[0] as number, runId: value[1] };
    }
  } catch {
    // answered below
  }
  throw new HttpError(400, "BAD_INPUT", "invalid query parameter cursor: not a cursor this API gave out (pass nextCursor back unchanged)", { parameter: "cursor" });
}

function checkDigest(digest: string, parameter = "digest"): string {
  if (!DIGEST_PATTERN.test(digest)) {
    throw new HttpError(400, "BAD_INPUT", `invalid ${parameter} "${digest.slice(0, 80)}": expected sha256:<64 lowercase hex>`, { parameter });
  }
  return digest;
}

function sendError(reply: FastifyReply, status: number, code: string, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).type("application/json; charset=utf-8").send({ code, message, ...extra });
}

/** The path of a request URL for a message: no query, and never more than 200 characters echoed. */
function pathOf(url: string): string {
  const path = url.split("?")[0] ?? "";
  return path.length > 200 ? `${path.slice(0, 200)}... (${path.length} characters)` : path;
}

/** Codes for fastify's own 4xx errors (bad JSON, body too large, bad URL...), by status. */
function codeForStatus(status: number): string {
  if (status === 404) return "NOT_FOUND";
  if (status === 405) return "METHOD_NOT_ALLOWED";
  if (status === 413 || status === 431) return "TOO_LARGE";
  if (status === 414) return "URI_TOO_LONG";
  return "BAD_INPUT";
}

/**
 * Errors node's HTTP parser finds before fastify sees a request (a URL over the header size
 * limit, a malformed request line): answered in the API's shape, never echoing the request.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const [status, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "the request line and headers are over the server's size limit (a URL that long is refused)"]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "the request was not received in time"]
        : [400, "the request is not valid HTTP"];
  const body = JSON.stringify({ code: status === 408 ? "TIMEOUT" : codeForStatus(status), message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

const DESCRIBE: Readonly<Record<Exclude<RoutePermission, typeof OPEN>, string>> = {
  publish: "publish events",
  "read-exact": "read runs",
  query: "list, search or diff runs",
  resubmit: "resubmit runs",
  tokens: "manage tokens",
};

/** Builds the API on a fastify instance (not listening): lets tests use inject(). */
export async function buildHttpApi(deps: HttpApiDeps): Promise<FastifyInstance> {
  const { fastify } = await import("fastify");
  const { store, blobs, logger } = deps;
  const log = logger.child({ component: "http" });
  const app = fastify({
    ...(deps.tls ? { https: { cert: deps.tls.cert, key: deps.tls.key } } : {}),
    logger: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    clientErrorHandler: answerClientError,
    // The router's own errors; their default answers echo the whole URL back.
    frameworkErrors: (err, _request, reply) => {
      if (err.code === "FST_ERR_MAX_PARAM_LENGTH") {
        void sendError(reply, 414, "URI_TOO_LONG", `a path segment is over ${MAX_PARAM_LENGTH} characters`);
      } else if (err.code === "FST_ERR_BAD_URL") {
        void sendError(reply, 400, "BAD_INPUT", "the URL path is not valid percent-encoding");
      } else {
        log.error({ err }, "request failed in the router");
        void sendError(reply, 500, "INTERNAL", "internal error while routing the request");
      }
    },
  });

  let webUiFallback: ((request: FastifyRequest, reply: FastifyReply) => boolean) | undefined;
  const notFound = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (webUiFallback?.(request, reply)) return reply;
    return sendError(reply, 404, "NOT_FOUND", `no route ${request.method} ${pathOf(request.url)}`);
  };
  app.setNotFoundHandler(notFound);
  // Answered before any body is parsed, as for 405: a POST to no route is a 404, not a 400 for its JSON.
  app.addHook("onRequest", async (request, reply) => (request.is404 ? notFound(request, reply) : undefined));

  app.setErrorHandler((err: unknown, request, reply) => {
    if (err instanceof HttpError) return sendError(reply, err.status, err.code, err.message, err.extra);
    if (err instanceof SnaptrailError) {
      const status = httpStatusOf(err.code);
      if (status >= 500) log.error({ err, url: request.url }, "request failed");
      return sendError(reply, status, err.code, err.message);
    }
    // fastify's own errors (bad URL encoding, parameter too long) carry a 4xx statusCode.
    const statusCode = (err as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 500) {
      return sendError(reply, statusCode, codeForStatus(statusCode), errorMessage(err));
    }
    log.error({ err, url: request.url }, "request failed");
    return sendError(reply, 500, "INTERNAL", `internal error: ${errorMessage(err)}`);
  });

  // Every path served answers its other methods with 405 and Allow (fastify would say 404).
  const servedMethods = new Map<string, Set<string>>();
  let addingMethodNotAllowed = false;
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!addingMethodNotAllowed) {
      const set = servedMethods.get(route.url) ?? new Set<string>();
      for (const m of methods) set.add(m);
      servedMethods.set(route.url, set);
    }
    // Each route says who may call it: a permission given where it is registered (the 405
    // answers: no data in them), its line in HTTP_ROUTE_PERMISSIONS, or, outside /api/, the UI's
    // static files (open: the build holds no data). An /api/ route with none is a bug, caught at start.
    // A HEAD route (fastify adds one beside each GET) answers what the GET does, without the body.
    const key = `${methods.includes("GET") || methods.includes("HEAD") ? "GET" : String(methods[0])} ${route.url}`;
    const uiFile = !route.url.startsWith("/api/") && methods.every((m) => m === "GET" || m === "HEAD");
    const permission = route.config?.permission ?? HTTP_ROUTE_PERMISSIONS[key] ?? (uiFile ? OPEN : undefined);
    if (permission === undefined) throw new Error(`route ${key} has no entry in HTTP_ROUTE_PERMISSIONS`);
    route.config = { ...route.config, permission };
  });
  if (deps.auth) {
    const auth = deps.auth;
    app.addHook("onRequest", async (request, reply) => {
      const permission = request.routeOptions.config.permission ?? OPEN;
      if (permission === OPEN) return undefined;
      let principal: Principal;
      try {
        principal = await auth.authenticate(request.headers.authorization);
      } catch (err) {
        if (!(err instanceof SnaptrailError) || err.code !== "UNAUTHENTICATED") throw err;
        // The reason names the token id at most, never its secret.
        log.warn({ url: pathOf(request.url), ip: request.ip, reason: err.message }, "refused a request without a valid token");
        return sendError(reply.header("www-authenticate", 'Bearer realm="snaptrail"'), 401, "UNAUTHENTICATED", err.message);
      }
      if (!allows(principal.role, permission)) {
        log.warn({ url: pathOf(request.url), token: principal.tokenId, role: principal.role, needs: permission }, "refused a request its role does not allow");
        return sendError(reply, 403, "FORBIDDEN", `a ${principal.role} token may not ${DESCRIBE[permission]}`);
      }
      request.principal = principal;
      return undefined;
    });
  }

  // Probes, without auth and without data: /healthz says the process serves HTTP (liveness),
  // /readyz that what it needs answers now (readiness), naming each check and its state only.
  // The web UI's files are GET routes like the API's, so they get the same 405 answers.
  const webUiDir = deps.webUiDir === undefined ? findWebUiDir() : deps.webUiDir;
  if (webUiDir) webUiFallback = await registerWebUi(app, webUiDir);

  app.get("/healthz", () => ({ status: "ok", version: SNAPTRAIL_VERSION }));
  const readiness =
    deps.readiness ??
    new Readiness(
      [
        { name: "store", ping: () => store.ping() },
        { name: "blobs", ping: () => blobs.ping() },
      ],
      collectorDefault("readyTimeoutMs"),
      log,
    );
  app.get("/readyz", async (_request, reply) => {
    const report = await readiness.check();
    if (report.ready) return { status: "ready", checks: report.checks };
    const failing = Object.keys(report.checks).filter((name) => report.checks[name] !== "ok");
    return sendError(reply, 503, "UNAVAILABLE", `not ready: ${failing.map((name) => `${name} ${report.checks[name]}`).join(", ")}`, {
      status: "not ready",
      checks: report.checks,
    });
  });

  app.get("/api/v1/runs", async (request) => {
    const q = parseQuery(runsQuerySchema, request.query);
    if (q.version !== undefined) {
      if (q.package === undefined) throw new HttpError(400, "BAD_INPUT", "invalid query parameter version: needs package", { parameter: "version" });
      try {
        versionMatcher(q.version);
      } catch (err) {
        throw new HttpError(400, "BAD_INPUT", `invalid query parameter version: ${errorMessage(err)}`, { parameter: "version" });
      }
    }
    const query: RunQuery = {};
    if (q.pipeline !== undefined) query.pipeline = q.pipeline;
    if (q.step !== undefined) query.step = q.step;
    if (q.status !== undefined) query.status = q.status;
    if (q.package !== undefined) query.package = q.package;
    if (q.version !== undefined) query.version = q.version;
    if (q.parent !== undefined) query.parent = q.parent;
    if (q.orchestrator !== undefined) query.orchestrator = q.orchestrator;
    if (q.since !== undefined) query.since = q.since;
    if (q.until !== undefined) query.until = q.until;
    if (q.cursor !== undefined) query.after = decodeCursor(q.cursor);
    if (q.limit !== undefined) query.limit = q.limit;
    const page = await store.listRunPage(query);
    const answer: RunPage = { runs: page.runs, nextCursor: page.next ? encodeCursor(page.next) : null };
    return answer;
  });

  app.get<{ Params: { runId: string } }>("/api/v1/runs/:runId", async (request) => {
    const mayQuery = !request.principal || allows(request.principal.role, "query");
    return resolveRun(store, request.params.runId, "run", !mayQuery);
  });

  app.get("/api/v1/diff", async (request) => {
    const q = parseQuery(diffQuerySchema, request.query);
    const [a, b] = await Promise.all([resolveRun(store, q.a, "a"), resolveRun(store, q.b, "b")]);
    const { diffRuns } = await import("../diff/diff-runs.js");
    return diffRuns(a, b, blobs);
  });

  // A snapshot by digest: lets `restore` take a snapshot digest where a run id would do.
  app.get<{ Params: { digest: string } }>("/api/v1/snapshots/:digest", async (request) => {
    const digest = checkDigest(request.params.digest);
    const snapshot = await store.getSnapshot(digest);
    if (!snapshot) throw new HttpError(404, "NOT_FOUND", `snapshot ${digest} is not stored`);
    return snapshot;
  });

  // Which runs produced a file with this content (`snaptrail which`): an empty list when none.
  app.get<{ Params: { digest: string } }>("/api/v1/outputs/:digest", async (request) => {
    const digest = checkDigest(request.params.digest);
    const q = parseQuery(outputsQuerySchema, request.query);
    return { digest, producers: await store.findRunsByOutput(digest, q.limit ?? 20) };
  });

  // A cache hit: the newest succeeded run with this key whose every output is in the blob store.
  app.get<{ Params: { key: string } }>("/api/v1/cache/:key", async (request) => {
    const key = checkDigest(request.params.key, "key");
    const candidates = await store.findCacheHits(key, MAX_CACHE_CANDIDATES);
    for (const hit of candidates) {
      const present = await Promise.all(hit.outputs.map((o) => blobs.has(o.digest)));
      if (present.every(Boolean)) return hit;
    }
    const why = candidates.length === 0 ? "no successful run stored its outputs under it" : `the outputs of ${candidates.map((c) => c.run.runId).join(", ")} are no longer all in the blob store`;
    throw new HttpError(404, "NOT_FOUND", `no cache hit for key ${key}: ${why}`);
  });

  registerTokenRoutes(app, store);

  app.get<{ Params: { digest: string } }>("/api/v1/blobs/:digest", async (request, reply) => {
    const digest = checkDigest(request.params.digest);
    const bytes = await blobs.get(digest);
    if (!bytes) throw new HttpError(404, "NOT_FOUND", `blob ${digest} is not stored`);
    return reply
      .type("application/octet-stream")
      .header("cache-control", "public, max-age=31536000, immutable")
      .header("etag", `"${digest}"`)
      .send(bytes);
  });

  registerUiRoutes(app, { store, blobs, log, resolveRun, authOn: deps.auth !== undefined, ...deps.ui });

  addingMethodNotAllowed = true;
  for (const [url, served] of servedMethods) {
    const allow = [...served].sort();
    const use = allow.filter((m) => m !== "HEAD").join(" or ");
    app.route({
      method: app.supportedMethods.filter((m) => !served.has(m)),
      url,
      config: { permission: OPEN },
      // Answered before the body is read: a wrong method is wrong whatever it carries.
      onRequest: async (request, reply) =>
        sendError(reply.header("allow", allow.join(", ")), 405, "METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${pathOf(request.url)}; use ${use}`),
      handler: () => undefined,
    });
  }

  return app;
}

/** Builds the API and listens on HOST:PORT (port 0: a free one). */
export async function startHttpApi(deps: HttpApiDeps, listen: string): Promise<RunningHttpApi> {
  const { host, port } = splitHostPort(listen, "http");
  const app = await buildHttpApi(deps);
  try {
    await app.listen({ host: host.replace(/^\[(.*)\]$/, "$1"), port });
  } catch (err) {
    await app.close();
    throw new UnavailableError(`cannot listen for HTTP on ${listen}: ${errorMessage(err)}`, { cause: err });
  }
  const address = app.server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `${deps.tls ? "https" : "http"}://${host}:${boundPort}`,
    close: () => app.close(),
  };
}
