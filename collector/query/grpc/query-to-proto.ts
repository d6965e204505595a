import type {
  CacheHit,
  CodeDiff,
  FieldChange,
  OutputProducer,
  PackageRunPage,
  RunDetail,
  RunDiff,
  RunEventRef,
  RunPage,
  RunSummary,
  StepTimeline,
  StoredSnapshot,
} from "../../../core/api-types.js";
import type { CacheHit as CacheHitProto } from "../../../proto/generated/snaptrail/v1/CacheHit.js";
import type { CodeDiff as CodeDiffProto } from "../../../proto/generated/snaptrail/v1/CodeDiff.js";
import type { FieldChange as FieldChangeProto } from "../../../proto/generated/snaptrail/v1/FieldChange.js";
import type { OutputProducers as OutputProducersProto } from "../../../proto/generated/snaptrail/v1/OutputProducers.js";
import type { PackageRunPage as PackageRunPageProto } from "../../../proto/generated/snaptrail/v1/PackageRunPage.js";
import type { RunDetail as RunDetailProto } from "../../../proto/generated/snaptrail/v1/RunDetail.js";
import type { RunDiff as RunDiffProto } from "../../../proto/generated/snaptrail/v1/RunDiff.js";
import type { RunEventRef as RunEventRefProto } from "../../../proto/generated/snaptrail/v1/RunEventRef.js";
import type { RunPage as RunPageProto } from "../../../proto/generated/snaptrail/v1/RunPage.js";
import type { RunSummary as RunSummaryProto } from "../../../proto/generated/snaptrail/v1/RunSummary.js";
import type { Snapshot as SnapshotProto } from "../../../proto/generated/snaptrail/v1/Snapshot.js";
import type { StepTimelinePage as StepTimelinePageProto } from "../../../proto/generated/snaptrail/v1/StepTimelinePage.js";

// The query answers (core/api-types.ts, what the HTTP API sends as JSON) as the messages of
// proto/snaptrail/v1/query.proto. Only the shape changes: null becomes an unset optional field,
// ISO times become unix milliseconds, lower-case names become enum values, `from` and `to`
// become from_value / to_value (from_version, from_state): `from` is a keyword in Python. Snapshot bodies are
// already the proto's own messages (core/model.ts) and pass through as they are.

/** null -> unset (the field's presence says "not recorded"). */
const opt = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);
const unixMs = (iso: string | null): number | undefined => (iso === null ? undefined : Date.parse(iso));
/** "" for the last page, as the proto documents. */
const cursor = (next: string | null): string => next ?? "";

const EVENT_TYPE = { runStarted: "RUN_STARTED", snapshotCaptured: "SNAPSHOT_CAPTURED", runFinished: "RUN_FINISHED" } as const satisfies Record<RunEventRef["type"], string>;
const FILE_STATE = { recorded: "RECORDED", "left out": "LEFT_OUT", absent: "ABSENT" } as const;

export function runSummaryToProto(r: RunSummary): RunSummaryProto {
  return {
    runId: r.runId,
    orchestrator: r.orchestrator,
    pipeline: r.pipeline,
    pipelineRun: r.pipelineRun,
    step: r.step,
    attempt: r.attempt,
    status: r.status === "running" ? "RUNNING" : r.status === "succeeded" ? "SUCCEEDED" : "FAILED",
    startedUnixMs: unixMs(r.startedAt),
    finishedUnixMs: unixMs(r.finishedAt),
    durationMs: opt(r.durationMs),
    exitCode: opt(r.exitCode),
    signal: opt(r.signal),
    hostname: r.hostname,
    environmentDigest: opt(r.environmentDigest),
    hostDigest: opt(r.hostDigest),
    codeDigest: opt(r.codeDigest),
    gitCommit: opt(r.gitCommit),
    rollbackOf: opt(r.rollbackOf),
    cacheKey: opt(r.cacheKey),
    cachedFrom: opt(r.cachedFrom),
    parentRunId: opt(r.parentRunId),
  };
}

export function runPageToProto(page: RunPage): RunPageProto {
  return { runs: page.runs.map(runSummaryToProto), nextCursor: cursor(page.nextCursor) };
}

function eventToProto(e: RunEventRef): RunEventRefProto {
  return { eventId: e.eventId, type: EVENT_TYPE[e.type], timeUnixMs: e.timeUnixMs };
}

export function runDetailToProto(d: RunDetail): RunDetailProto {
  return {
    summary: runSummaryToProto(d),
    orchestratorContext: opt(d.orchestratorContext),
    config: opt(d.config),
    agentVersion: d.agentVersion,
    environment: opt(d.environment),
    host: opt(d.host),
    code: opt(d.code),
    warnings: d.warnings,
    outputs: d.outputs,
    events: d.events.map(eventToProto),
    children: d.children,
  };
}

const fieldChange = (c: FieldChange): FieldChangeProto => ({ field: c.field, fromValue: opt(c.from), toValue: opt(c.to) });

function codeDiffToProto(c: CodeDiff): CodeDiffProto {
  return {
    commitFrom: opt(c.commitFrom),
    commitTo: opt(c.commitTo),
    branchFrom: opt(c.branchFrom),
    branchTo: opt(c.branchTo),
    dirtyFrom: c.dirtyFrom,
    dirtyTo: c.dirtyTo,
    added: c.added,
    removed: c.removed,
    modified: c.modified,
    leftOut: c.leftOut.map((l) => ({ path: l.path, fromState: FILE_STATE[l.from], toState: FILE_STATE[l.to], reason: l.reason })),
    patches: c.patches,
    note: c.note,
  };
}

export function runDiffToProto(d: RunDiff): RunDiffProto {
  return {
    a: runSummaryToProto(d.a),
    b: runSummaryToProto(d.b),
    identical: d.identical,
    packages: {
      added: d.packages.added,
      removed: d.packages.removed,
      changed: d.packages.changed.map((c) => ({
        name: c.name,
        fromVersion: c.from,
        toVersion: c.to,
        direction: c.direction === "upgrade" ? "UPGRADE" : c.direction === "downgrade" ? "DOWNGRADE" : c.direction === "source" ? "SOURCE" : "INCOMPARABLE",
        major: c.major,
        sourceFrom: c.sourceFrom,
        sourceTo: c.sourceTo,
      })),
      unchanged: d.packages.unchanged,
    },
    interpreter: d.interpreter.map(fieldChange),
    image: d.image.map(fieldChange),
    os: d.os.map(fieldChange),
    host: d.host.map(fieldChange),
    code: d.code === null ? undefined : codeDiffToProto(d.code),
    config: d.config.map(fieldChange),
    env: d.env.map((e) => ({ name: e.name, fromValue: opt(e.from), toValue: opt(e.to), redacted: e.redacted })),
    modules: d.modules,
  };
}

export function stepTimelineToProto(t: StepTimeline): StepTimelinePageProto {
  return {
    runs: t.runs.map((r) => ({ run: runSummaryToProto(r.run), environmentChanged: r.environmentChanged, codeChanged: r.codeChanged })),
    nextCursor: cursor(t.nextCursor),
  };
}

export function packageRunPageToProto(p: PackageRunPage): PackageRunPageProto {
  return { package: p.package, runs: p.runs.map((r) => ({ run: runSummaryToProto(r.run), versions: r.versions })), nextCursor: cursor(p.nextCursor) };
}

/** The body goes in the oneof member its kind names; it is already that message's shape. */
export function snapshotToProto(s: StoredSnapshot): SnapshotProto {
  return { digest: s.digest, [s.kind]: s.body };
}

export function outputProducersToProto(o: { digest: string; producers: OutputProducer[] }): OutputProducersProto {
  return { digest: o.digest, producers: o.producers.map((p) => ({ run: runSummaryToProto(p.run), path: p.path, size: p.size })) };
}

export function cacheHitToProto(hit: CacheHit): CacheHitProto {
  return { run: runSummaryToProto(hit.run), outputs: hit.outputs };
}
