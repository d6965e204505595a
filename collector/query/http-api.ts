import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { errorMessage, SnaptrailError, UnavailableError } from "../../core/errors.js";
import type { BlobStore } from "../blobs/blob-store.js";
import { collectorDefault, splitHostPort } from "../collector-options.js";
import { Readiness } from "../readiness.js";
import type { Store } from "../store/store.js";
import { allows } from "../../core/auth/roles.js";
import { OPEN, HTTP_ROUTE_PERMISSIONS, type RoutePermission } from "../auth/route-permissions.js";
import type { Principal, TokenAuthenticator } from "../auth/token-authenticator.js";
import { HttpError, pathOf, sendError } from "./http-error.js";
import { MAX_PARAM_LENGTH } from "./http-limits.js";
import { httpStatusOf } from "./http-status-of.js";
import { normaliseQuery, validationHttpError } from "./query-validation.js";
import { resolveRun } from "./resolve-run.js";
import { registerDiffRoutes } from "./routes/diff-routes.js";
import { registerHealthRoutes } from "./routes/health-routes.js";
import { registerOpenApi } from "./routes/openapi-routes.js";
import { registerOutputRoutes } from "./routes/output-routes.js";
import { registerPackageRoutes } from "./routes/package-routes.js";
import type { RouteDeps } from "./routes/route-deps.js";
import { registerRunRoutes } from "./routes/runs-routes.js";
import { registerSnapshotRoutes } from "./routes/snapshot-routes.js";
import type { ServerTls } from "../tls/server-tls.js";
import { registerTokenRoutes } from "./token-routes.js";
import { registerUiRoutes, type UiRouteDeps } from "./routes/ui-routes.js";
import { findWebUiDir, registerWebUi } from "./web-ui.js";

// The JSON query API. Every error answer, fastify's own included, is {code, message} (plus
// details such as `parameter` or `candidates`) with a fitting status. Each route validates its
// parameters and serializes its answer with zod schemas (schemas/), which also make the OpenAPI
// document at /api/v1/openapi.json; the routes live in routes/, one file per area.

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

  const zod = await import("fastify-type-provider-zod");
  app.setValidatorCompiler(zod.validatorCompiler);
  // An answer that does not match its route's schema is a 500, never sent: the document holds.
  app.setSerializerCompiler(zod.serializerCompiler);
  app.addHook("preValidation", (request, _reply, done) => {
    try {
      normaliseQuery(request);
      done();
    } catch (err) {
      done(err as Error);
    }
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
    if (zod.hasZodFastifySchemaValidationErrors(err)) {
      const answer = validationHttpError(err, request);
      return sendError(reply, answer.status, answer.code, answer.message, answer.extra);
    }
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

  await registerOpenApi(app);
  const webUiDir = deps.webUiDir === undefined ? findWebUiDir() : deps.webUiDir;
  if (webUiDir) webUiFallback = await registerWebUi(app, webUiDir);

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
  const routeDeps: RouteDeps = { store, blobs, log, readiness };
  registerHealthRoutes(app, routeDeps);
  registerRunRoutes(app, routeDeps);
  registerDiffRoutes(app, routeDeps);
  registerSnapshotRoutes(app, routeDeps);
  registerOutputRoutes(app, routeDeps);
  registerPackageRoutes(app, routeDeps);
  registerTokenRoutes(app, store);

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
