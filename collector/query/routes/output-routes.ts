import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { HttpError } from "../http-error.js";
import { errorAnswers, PATH_ERRORS } from "../schemas/error-answer.js";
import { digestParam, limitParam } from "../schemas/query-params.js";
import { CacheHitSchema, OutputProducersSchema } from "../schemas/run-schemas.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

/** Cache sources tried, newest first, before a lookup is a miss: one whose blobs were collected may have an older twin. */
export const MAX_CACHE_CANDIDATES = 5;

export function registerOutputRoutes(app: FastifyInstance, { store, blobs }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // Which runs produced a file with this content (`snaptrail which`): an empty list when none.
  api.get(
    "/api/v1/outputs/:digest",
    {
      schema: {
        tags: ["outputs"],
        summary: "The runs that produced a file with this content, newest first",
        security: BEARER,
        params: z.strictObject({ digest: digestParam("digest") }),
        querystring: z.strictObject({ limit: limitParam }),
        response: { 200: OutputProducersSchema, ...errorAnswers(PATH_ERRORS) },
      },
    },
    async (request) => {
      const { digest } = request.params;
      return { digest, producers: await store.findRunsByOutput(digest, request.query.limit ?? 20) };
    },
  );
  // A cache hit: the newest succeeded run with this key whose every output is in the blob store.
  api.get(
    "/api/v1/cache/:key",
    {
      schema: {
        tags: ["outputs"],
        summary: "The newest succeeded run stored under this cache key whose outputs are all in the blob store",
        security: BEARER,
        params: z.strictObject({ key: digestParam("key") }),
        response: { 200: CacheHitSchema, ...errorAnswers({ ...PATH_ERRORS, 404: "No usable cache hit" }) },
      },
    },
    async (request) => {
      const { key } = request.params;
      const candidates = await store.findCacheHits(key, MAX_CACHE_CANDIDATES);
      for (const hit of candidates) {
        const present = await Promise.all(hit.outputs.map((o) => blobs.has(o.digest)));
        if (present.every(Boolean)) return hit;
      }
      const why =
        candidates.length === 0
          ? "no successful run stored its outputs under it"
          : `the outputs of ${candidates.map((c) => c.run.runId).join(", ")} are no longer all in the blob store`;
      throw new HttpError(404, "NOT_FOUND", `no cache hit for key ${key}: ${why}`);
    },
  );
}
