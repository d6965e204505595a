import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { allows } from "../../../core/auth/roles.js";
import { listRuns } from "../queries/list-runs.js";
import { stepTimeline } from "../queries/step-timeline.js";
import { resolveRun } from "../resolve-run.js";
import { errorAnswers, PATH_ERRORS, QUERY_ERRORS } from "../schemas/error-answer.js";
import { RunParamsSchema, TimelineQuerySchema } from "../schemas/request-schemas.js";
import { RunsQuerySchema } from "../schemas/run-filters.js";
import { RunDetailSchema, RunPageSchema, StepTimelineSchema } from "../schemas/run-schemas.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

// The queries themselves live in queries/, shared with the gRPC Query service.

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
    async (request) => listRuns(store, request.query),
  );
  api.get(
    "/api/v1/runs/:runId",
    {
      schema: {
        tags: ["runs"],
        summary: "One run with its snapshots, by id or (for a token that may query) a unique prefix",
        security: BEARER,
        params: RunParamsSchema,
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
  api.get(
    "/api/v1/timeline",
    {
      schema: {
        tags: ["runs"],
        summary: "One step's runs, newest first, each marked with what changed from the step's run before it",
        description: "The runs list (same order and cursors as GET /api/v1/runs) for one pipeline and step, with environmentChanged and codeChanged against the step's previous run.",
        security: BEARER,
        querystring: TimelineQuerySchema,
        response: { 200: StepTimelineSchema, ...errorAnswers(QUERY_ERRORS) },
      },
    },
    async (request) => stepTimeline(store, request.query),
  );
}
