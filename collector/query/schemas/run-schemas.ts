import { z } from "zod";
import type { CacheHit, OutputProducer, PackageRun, PackageRunPage, RunDetail, RunEventRef, RunPage, RunSummary, StepTimeline, StoredSnapshot, TimelineRun } from "../../../core/api-types.js";
import type { CaptureWarning, CodeSnapshot, EnvironmentSnapshot, HostSnapshot, OrchestratorContext, OutputFile, RunConfig } from "../../../core/model.js";
import type { SameKeys } from "./same-keys.js";

// The answers about runs, as the store gives them (core/api-types.ts). Objects are strict: an
// answer with a field its schema does not name is refused by the serializer, so the document
// cannot fall behind the code.

const nullableText = z.string().nullable();
const digest = z.string().describe("sha256:<64 lowercase hex>");

/**
 * A message of proto/snaptrail/v1 as JSON (every scalar present): described as an object whose
 * fields the .proto names, typed as the generated interface.
 */
function protoMessage<T extends object>(name: string): z.ZodType<T> {
  return z.record(z.string(), z.unknown()).describe(`A snaptrail.v1.${name} message as JSON (proto/snaptrail/v1)`) as unknown as z.ZodType<T>;
}

export const RunSummarySchema = z
  .strictObject({
    runId: z.string(),
    orchestrator: z.enum(["LOCAL", "AIRFLOW", "KUBEFLOW", "SLURM"]),
    pipeline: z.string(),
    pipelineRun: z.string(),
    step: z.string(),
    attempt: z.number(),
    status: z.enum(["running", "succeeded", "failed"]),
    startedAt: nullableText.describe("ISO 8601"),
    finishedAt: nullableText.describe("ISO 8601"),
    durationMs: z.number().nullable(),
    exitCode: z.number().nullable(),
    signal: nullableText,
    hostname: z.string(),
    environmentDigest: digest.nullable(),
    hostDigest: digest.nullable(),
    codeDigest: digest.nullable(),
    gitCommit: nullableText,
    rollbackOf: nullableText.describe("The run this one resubmitted"),
    cacheKey: nullableText,
    cachedFrom: nullableText.describe("The run whose outputs this one restored (a cache hit)"),
    parentRunId: nullableText,
  })
  .meta({ id: "RunSummary" });

export const OutputFileSchema = z
  .strictObject({ path: z.string(), digest: z.string().describe('"" when the file was missing'), size: z.number(), mode: z.number(), stored: z.boolean() })
  .meta({ id: "OutputFile" });

const RunEventRefSchema = z.strictObject({
  eventId: z.string(),
  type: z.enum(["runStarted", "snapshotCaptured", "runFinished"]),
  timeUnixMs: z.number(),
});

const CaptureWarningSchema = z.strictObject({ source: z.string(), message: z.string() });

export const RunDetailSchema = z
  .strictObject({
    ...RunSummarySchema.shape,
    orchestratorContext: protoMessage<OrchestratorContext>("OrchestratorContext").nullable(),
    config: protoMessage<RunConfig>("RunConfig").nullable(),
    agentVersion: z.string(),
    environment: protoMessage<EnvironmentSnapshot>("EnvironmentSnapshot").nullable(),
    host: protoMessage<HostSnapshot>("HostSnapshot").nullable(),
    code: protoMessage<CodeSnapshot>("CodeSnapshot").nullable(),
    warnings: z.array(CaptureWarningSchema),
    outputs: z.array(OutputFileSchema),
    events: z.array(RunEventRefSchema),
    children: z.array(z.string()).describe("Runs beneath this one, newest first (at most 100)"),
  })
  .meta({ id: "RunDetail" });

export const RunPageSchema = z
  .strictObject({
    runs: z.array(RunSummarySchema),
    nextCursor: z.string().nullable().describe("Pass back as `cursor` with the same filters; null on the last page"),
  })
  .meta({ id: "RunPage" });

const PackageRunSchema = z.strictObject({
  run: RunSummarySchema,
  versions: z.array(z.string()).describe("The package's versions in this run's environment that match the filter, sorted"),
});

export const PackageRunPageSchema = z
  .strictObject({
    package: z.string().describe("The PEP 503 normalised name"),
    runs: z.array(PackageRunSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "PackageRunPage" });

const TimelineRunSchema = z.strictObject({
  run: RunSummarySchema,
  environmentChanged: z.boolean().describe("Its environment digest differs from the step's previous run's (false for the step's first run)"),
  codeChanged: z.boolean().describe("Its code digest or git commit differs from the step's previous run's"),
});

export const StepTimelineSchema = z
  .strictObject({
    runs: z.array(TimelineRunSchema),
    nextCursor: z.string().nullable().describe("Pass back as `cursor` with the same pipeline and step; null on the last page"),
  })
  .meta({ id: "StepTimeline" });

export const StoredSnapshotSchema = z
  .strictObject({
    digest,
    kind: z.enum(["environment", "host", "code"]),
    body: protoMessage<object>("EnvironmentSnapshot, HostSnapshot or CodeSnapshot (by kind)"),
  })
  .meta({ id: "Snapshot" });

export const OutputProducersSchema = z.strictObject({
  digest,
  producers: z.array(z.strictObject({ run: RunSummarySchema, path: z.string(), size: z.number() })),
});

export const CacheHitSchema = z.strictObject({ run: RunSummarySchema, outputs: z.array(OutputFileSchema) }).meta({ id: "CacheHit" });

// Each schema names exactly its interface's fields (the build fails otherwise).
export const SCHEMA_KEYS_MATCH: [
  SameKeys<z.output<typeof RunSummarySchema>, RunSummary>,
  SameKeys<z.output<typeof RunDetailSchema>, RunDetail>,
  SameKeys<z.output<typeof RunPageSchema>, RunPage>,
  SameKeys<z.output<typeof PackageRunPageSchema>, PackageRunPage>,
  SameKeys<z.output<typeof PackageRunSchema>, PackageRun>,
  SameKeys<z.output<typeof StoredSnapshotSchema>, StoredSnapshot>,
  SameKeys<z.output<typeof OutputFileSchema>, OutputFile>,
  SameKeys<z.output<typeof RunEventRefSchema>, RunEventRef>,
  SameKeys<z.output<typeof CaptureWarningSchema>, CaptureWarning>,
  SameKeys<z.output<typeof CacheHitSchema>, CacheHit>,
  SameKeys<z.output<typeof OutputProducersSchema>["producers"][number], OutputProducer>,
  SameKeys<z.output<typeof StepTimelineSchema>, StepTimeline>,
  SameKeys<z.output<typeof TimelineRunSchema>, TimelineRun>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true];
