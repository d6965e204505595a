import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { PackageRunPage } from "../../../core/api-types.js";
import { normalisePackageName, versionMatcher } from "../../store/package-match.js";
import { errorAnswers, PATH_ERRORS } from "../schemas/error-answer.js";
import { encodeCursor } from "../schemas/query-params.js";
import { PackageRunsQuerySchema, toRunQuery } from "../schemas/run-filters.js";
import { PackageRunPageSchema } from "../schemas/run-schemas.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

// Package search: the runs that ran with a package (at a version, or within a PEP 440
// specifier), each with the version it had: "where else is this version used".

/** A distribution name as PEP 508 allows it (any spelling of case and separators). */
const PACKAGE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,198}[A-Za-z0-9])?$/;

const packageName = z
  .string()
  .regex(PACKAGE_NAME, {
    error: (issue) => `invalid package name "${String(issue.input).slice(0, 80)}": letters, digits, ".", "_" and "-", starting and ending with a letter or digit, at most 200`,
  })
  .describe("A package name, any spelling (PEP 503 normalised: Pydantic_Core is pydantic-core)");

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
        params: z.strictObject({ name: packageName }),
        querystring: PackageRunsQuerySchema,
        response: { 200: PackageRunPageSchema, ...errorAnswers(PATH_ERRORS) },
      },
    },
    async (request): Promise<PackageRunPage> => {
      const name = normalisePackageName(request.params.name);
      const q = request.query;
      const page = await store.listRunPage(toRunQuery({ ...q, package: name }));
      const digests = page.runs.map((r) => r.environmentDigest).filter((d): d is string => d !== null);
      const versions = await store.packageVersions(name, digests);
      const matcher = q.version === undefined ? undefined : versionMatcher(q.version);
      const matching = (version: string) =>
        matcher === undefined || (matcher.kind === "exact" ? version === matcher.version : matcher.matches(version));
      return {
        package: name,
        runs: page.runs.map((run) => ({ run, versions: (versions.get(run.environmentDigest ?? "") ?? []).filter(matching) })),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },
  );
}
