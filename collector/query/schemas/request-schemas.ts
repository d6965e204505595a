import { z } from "zod";
import { MAX_PARAM_LENGTH } from "../http-limits.js";
import { cursorParam, digestParam, limitParam } from "./query-params.js";

// The inputs of the queries other than the runs filters (run-filters.ts), one schema each: the
// HTTP routes validate their path and query with them, and the gRPC Query service runs its
// requests through the same ones (grpc/parse-grpc-request.ts), so both refuse the same input.

const runRef = z.string().max(MAX_PARAM_LENGTH).describe("A run id or a unique prefix of one");

/** GET /api/v1/runs/:runId, Query.GetRun. */
export const RunParamsSchema = z.strictObject({ runId: z.string().max(MAX_PARAM_LENGTH).describe("A run id, or a unique prefix of one") });

/** GET /api/v1/diff, Query.DiffRuns. */
export const DiffQuerySchema = z.strictObject({ a: runRef, b: runRef });

/** A distribution name as PEP 508 allows it (any spelling of case and separators). */
const PACKAGE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,198}[A-Za-z0-9])?$/;

/** GET /api/v1/packages/:name/runs, Query.SearchPackage. */
export const PackageParamsSchema = z.strictObject({
  name: z
    .string()
    .regex(PACKAGE_NAME, {
      error: (issue) => `invalid package name "${String(issue.input).slice(0, 80)}": letters, digits, ".", "_" and "-", starting and ending with a letter or digit, at most 200`,
    })
    .describe("A package name, any spelling (PEP 503 normalised: Pydantic_Core is pydantic-core)"),
});

/** GET /api/v1/snapshots/:digest, /outputs/:digest, /blobs/:digest; Query.GetSnapshot, FindOutputProducers. */
export const DigestParamsSchema = z.strictObject({ digest: digestParam("digest") });

/** GET /api/v1/cache/:key, Query.GetCacheHit. */
export const CacheKeyParamsSchema = z.strictObject({ key: digestParam("key") });

/** GET /api/v1/outputs/:digest's query, Query.FindOutputProducers. */
export const OutputsQuerySchema = z.strictObject({ limit: limitParam });

const requiredText = z.string().min(1).max(1000);

/** GET /api/v1/timeline, Query.StepTimeline: one step's runs, so both names are required. */
export const TimelineQuerySchema = z.strictObject({
  pipeline: requiredText.describe("The step's pipeline (Airflow DAG id, KFP pipeline, Slurm job name)"),
  step: requiredText.describe("The step (Airflow task id, KFP task, Slurm step)"),
  cursor: cursorParam,
  limit: limitParam,
});

export type TimelineQuery = z.output<typeof TimelineQuerySchema>;
