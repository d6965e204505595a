import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { searchPackage } from "../queries/search-package.js";
import { errorAnswers, PATH_ERRORS } from "../schemas/error-answer.js";
import { PackageParamsSchema } from "../schemas/request-schemas.js";
import { PackageRunsQuerySchema } from "../schemas/run-filters.js";
import { PackageRunPageSchema } from "../schemas/run-schemas.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

// Package search: the runs that ran with a package (at a version, or within a PEP 440
// specifier), each with the version it had: "where else is this version used".

export function registerPackageRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/packages/:name/runs",
    {
      schema: {
        tags: ["packages"],
        summary: "The runs that ran with a package, newest first, each with the version(s) it had",
        description:
          "The runs list (same filters, order and cursors as GET /api/v1/runs) for one package; `version` is an exact version or a PEP 440 specifier.",
        security: BEARER,
        params: PackageParamsSchema,
        querystring: PackageRunsQuerySchema,
        response: { 200: PackageRunPageSchema, ...errorAnswers(PATH_ERRORS) },
      },
    },
    async (request) => searchPackage(store, request.params.name, request.query),
  );
}
