import type { FastifyInstance, FastifyReply } from "fastify";
import type { Logger } from "pino";
import { z } from "zod";
import type { RunDetail, RunQuery } from "../../core/api-types.js";
import { DIGEST_PATTERN } from "../../core/digest.js";
import { errorMessage, SnaptrailError, UnavailableError } from "../../core/errors.js";
import { SNAPTRAIL_VERSION } from "../../core/version.js";
import type { BlobStore } from "../blobs/blob-store.js";
import { splitHostPort } from "../collector-options.js";
import { versionMatcher } from "../store/package-match.js";
import type { Store } from "../store/store.js";

// The JSON query API. Every error is {error: "message", code: "..."} with a fitting status.

export interface HttpApiDeps {
  store: Store;
  blobs: BlobStore;
  logger: Logger;
}

export interface RunningHttpApi {
  /** "http://HOST:PORT" with the port actually bound. */
  url: string;
  close(): Promise<void>;
}

/** The most candidates a 409 for an ambiguous run prefix lists. */
export const MAX_CANDIDATES = 10;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

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

const runsQuerySchema = z.strictObject({
  pipeline: optionalText,
  step: optionalText,
  status: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["running", "succeeded", "failed"]).optional()),
  package: optionalText,
  version: optionalText,
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
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    throw new HttpError(400, "BAD_INPUT", `unknown query parameter ${issue.keys.join(", ")}`);
  }
  const key = issue.path.join(".");
  const message = issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
  throw new HttpError(400, "BAD_INPUT", `invalid query parameter ${key}: ${message}`, { parameter: key });
}

/**
 * A run by exact id, else by a unique prefix. None: 404; several: 409 listing the candidates.
 * `what` names the parameter in messages ("run", "a", "b").
 */
export async function resolveRun(store: Store, ref: string, what: string): Promise<RunDetail> {
  const exact = await store.getRun(ref);
  if (exact) return exact;
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

function checkDigest(digest: string, parameter = "digest"): string {
  if (!DIGEST_PATTERN.test(digest)) {
    throw new HttpError(400, "BAD_INPUT", `invalid ${parameter} "${digest.slice(0, 80)}": expected sha256:<64 lowercase hex>`, { parameter });
  }
  return digest;
}

function sendError(reply: FastifyReply, status: number, code: string, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).type("application/json; charset=utf-8").send({ error: message, code, ...extra });
}

/** Builds the API on a fastify instance (not listening): lets tests use inject(). */
export async function buildHttpApi(deps: HttpApiDeps): Promise<FastifyInstance> {
  const { fastify } = await import("fastify");
  const { store, blobs, logger } = deps;
  const log = logger.child({ component: "http" });
  const app = fastify({ logger: false, routerOptions: { maxParamLength: 8192 } });

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, "NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`));

  app.setErrorHandler((err: unknown, request, reply) => {
    if (err instanceof HttpError) return sendError(reply, err.status, err.code, err.message, err.extra);
    if (err instanceof SnaptrailError) {
      const status = err.code === "BAD_INPUT" ? 400 : err.code === "NOT_FOUND" ? 404 : err.code === "UNAVAILABLE" ? 503 : 500;
      if (status >= 500) log.error({ err, url: request.url }, "request failed");
      return sendError(reply, status, err.code, err.message);
    }
    // fastify's own errors (bad URL encoding, parameter too long) carry a 4xx statusCode.
    const statusCode = (err as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 500) {
      return sendError(reply, statusCode, "BAD_INPUT", errorMessage(err));
    }
    log.error({ err, url: request.url }, "request failed");
    return sendError(reply, 500, "INTERNAL", `internal error: ${errorMessage(err)}`);
  });

  app.get("/healthz", () => ({ status: "ok", version: SNAPTRAIL_VERSION }));

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
    if (q.limit !== undefined) query.limit = q.limit;
    return { runs: await store.listRuns(query) };
  });

  app.get<{ Params: { runId: string } }>("/api/v1/runs/:runId", async (request) => {
    return resolveRun(store, request.params.runId, "run");
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
    url: `http://${host}:${boundPort}`,
    close: () => app.close(),
  };
}
