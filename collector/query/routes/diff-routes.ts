import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { MAX_PARAM_LENGTH } from "../http-limits.js";
import { resolveRun } from "../resolve-run.js";
import { RunDiffSchema } from "../schemas/diff-schema.js";
import { errorAnswers, QUERY_ERRORS } from "../schemas/error-answer.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

const runRef = z.string().max(MAX_PARAM_LENGTH).describe("A run id or a unique prefix of one");

export function registerDiffRoutes(app: FastifyInstance, { store, blobs }: RouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/diff",
    {
      schema: {
        tags: ["runs"],
        summary: "What changed from run a to run b: packages, code, interpreter, image, host, config, env vars",
        security: BEARER,
        querystring: z.strictObject({ a: runRef, b: runRef }),
        response: {
          200: RunDiffSchema,
          ...errorAnswers({ ...QUERY_ERRORS, 404: "No run matches a or b", 409: "a or b matches more than one run (`candidates`)" }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const [a, b] = await Promise.all([resolveRun(store, q.a, "a"), resolveRun(store, q.b, "b")]);
      const { diffRuns } = await import("../../diff/diff-runs.js");
      return diffRuns(a, b, blobs);
    },
  );
}
