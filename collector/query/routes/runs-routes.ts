import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { allows } from "../../../core/auth/roles.js";
import { MAX_PARAM_LENGTH } from "../http-limits.js";
import { resolveRun } from "../resolve-run.js";
import { errorAnswers, PATH_ERRORS, QUERY_ERRORS } from "../schemas/error-answer.js";
import { encodeCursor } from "../schemas/query-params.js";
import { RunsQuerySchema, toRunQuery } from "../schemas/run-filters.js";
import { RunDetailSchema, RunPageSchema } from "../schemas/run-schemas.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

export function registerRunRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    "/api/v1/runs",
    {
      schema: {
        tags: ["runs"],
        summary: "Runs, newest first (sort time, then run id, both descending), filtered, in pages",
        security: BEARER,
        querystring: RunsQuerySchema,
        response: { 200: RunPageSchema, ...errorAnswers(QUERY_ERRORS) },
      },
    },
    async (request) => {
      const page = await store.listRunPage(toRunQuery(request.query));
      return { runs: page.runs, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );
  api.get(
    "/api/v1/runs/:runId",
    {
      schema: {
        tags: ["runs"],
        summary: "One run with its snapshots, by id or (for a token that may query) a unique prefix",
        security: BEARER,
        params: z.strictObject({ runId: z.string().max(MAX_PARAM_LENGTH).describe("A run id, or a unique prefix of one") }),
        response: {
          200: RunDetailSchema,
          ...errorAnswers({ ...PATH_ERRORS, 404: "No such run", 409: "The prefix matches more than one run (`candidates`)" }),
        },
      },
    },
    async (request) => {
      const mayQuery = !request.principal || allows(request.principal.role, "query");
      return resolveRun(store, request.params.runId, "run", !mayQuery);
    },
  );
}
