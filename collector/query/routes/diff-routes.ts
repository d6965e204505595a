import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { diffRunRefs } from "../queries/diff-run-refs.js";
import { RunDiffSchema } from "../schemas/diff-schema.js";
import { errorAnswers, QUERY_ERRORS } from "../schemas/error-answer.js";
import { DiffQuerySchema } from "../schemas/request-schemas.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

export function registerDiffRoutes(app: FastifyInstance, { store, blobs }: RouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/diff",
    {
      schema: {
        tags: ["runs"],
        summary: "What changed from run a to run b: packages, code, interpreter, image, host, config, env vars",
        security: BEARER,
        querystring: DiffQuerySchema,
        response: {
          200: RunDiffSchema,
          ...errorAnswers({ ...QUERY_ERRORS, 404: "No run matches a or b", 409: "a or b matches more than one run (`candidates`)" }),
        },
      },
    },
    async (request) => diffRunRefs(store, blobs, request.query),
  );
}
