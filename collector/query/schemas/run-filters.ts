import { z } from "zod";
import type { RunQuery } from "../../../core/api-types.js";
import { cursorParam, environmentParam, limitParam, orchestratorParam, statusParam, textParam, timeParam, versionParam } from "./query-params.js";

// The filters of the runs list (GET /api/v1/runs) and of a package search
// (GET /api/v1/packages/:name/runs), which is the runs list for one package.

const filters = {
  pipeline: textParam,
  step: textParam,
  status: statusParam,
  version: versionParam,
  parent: textParam.describe("Only the runs beneath this run"),
  orchestrator: orchestratorParam,
  environment: environmentParam,
  since: timeParam.describe("Runs that sort at or after this time: ISO 8601 or unix ms"),
  until: timeParam.describe("Runs that sort before this time: ISO 8601 or unix ms"),
  cursor: cursorParam,
  limit: limitParam,
};

export const RunsQuerySchema = z
  .strictObject({ ...filters, package: textParam.describe("A package name, any spelling (PEP 503)") })
  .superRefine((q, ctx) => {
    if (q.version !== undefined && q.package === undefined) ctx.addIssue({ code: "custom", path: ["version"], message: "needs package" });
  });

export const PackageRunsQuerySchema = z.strictObject(filters);

/** Parsed filters of GET /api/v1/runs (Query.ListRuns). */
export type RunsQuery = z.output<typeof RunsQuerySchema>;
/** Parsed filters of a package search (Query.SearchPackage). */
export type PackageRunsQuery = z.output<typeof PackageRunsQuerySchema>;

type Filters = PackageRunsQuery & { package?: string | undefined };

/** The store's query for parsed filters: only the ones given. */
export function toRunQuery(q: Filters): RunQuery {
  const query: RunQuery = {};
  if (q.pipeline !== undefined) query.pipeline = q.pipeline;
  if (q.step !== undefined) query.step = q.step;
  if (q.status !== undefined) query.status = q.status;
  if (q.package !== undefined) query.package = q.package;
  if (q.version !== undefined) query.version = q.version;
  if (q.parent !== undefined) query.parent = q.parent;
  if (q.orchestrator !== undefined) query.orchestrator = q.orchestrator;
  if (q.environment !== undefined) query.environment = q.environment;
  if (q.since !== undefined) query.since = q.since;
  if (q.until !== undefined) query.until = q.until;
  if (q.cursor !== undefined) query.after = q.cursor;
  if (q.limit !== undefined) query.limit = q.limit;
  return query;
}
