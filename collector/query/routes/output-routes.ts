import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { findCacheHit } from "../queries/find-cache-hit.js";
import { findOutputProducers } from "../queries/find-output-producers.js";
import { errorAnswers, PATH_ERRORS } from "../schemas/error-answer.js";
import { CacheKeyParamsSchema, DigestParamsSchema, OutputsQuerySchema } from "../schemas/request-schemas.js";
import { CacheHitSchema, OutputProducersSchema } from "../schemas/run-schemas.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

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
        params: DigestParamsSchema,
        querystring: OutputsQuerySchema,
        response: { 200: OutputProducersSchema, ...errorAnswers(PATH_ERRORS) },
      },
    },
    async (request) => findOutputProducers(store, request.params.digest, request.query.limit),
  );
  // A cache hit: the newest succeeded run with this key whose every output is in the blob store.
  api.get(
    "/api/v1/cache/:key",
    {
      schema: {
        tags: ["outputs"],
        summary: "The newest succeeded run stored under this cache key whose outputs are all in the blob store",
        security: BEARER,
        params: CacheKeyParamsSchema,
        response: { 200: CacheHitSchema, ...errorAnswers({ ...PATH_ERRORS, 404: "No usable cache hit" }) },
      },
    },
    async (request) => findCacheHit(store, blobs, request.params.key),
  );
}
