// Shapes the collector answers with (HTTP JSON API, CLI --json). Stable: scripts depend on them.
import type {
  CaptureWarning,
  CodeSnapshot,
  EnvironmentSnapshot,
  HostSnapshot,
  OrchestratorContext,
  OrchestratorKind,
  OutputFile,
  RunConfig,
  SnapshotKind,
} from "./model.js";

export type RunStatus = "running" | "succeeded" | "failed";

export interface RunSummary {
  runId: string;
  orchestrator: OrchestratorKind;
  pipeline: string;
  pipelineRun: string;
  step: string;
  attempt: number;
  status: RunStatus;
  startedAt: string | null; // ISO 8601
  finishedAt: string | null;
  durationMs: number | null;
  exitCode: number | null;
  signal: string | null;
  hostname: string;
  environmentDigest: string | null;
  hostDigest: string | null;
  codeDigest: string | null;
  gitCommit: string | null;
  rollbackOf: string | null;
  /** `wrap --cache`: the key this run was looked up and stored under. */
  cacheKey: string | null;
  /** The run whose outputs this one restored instead of running its command (a cache hit). */
  cachedFrom: string | null;
  /** The run this one is a part of (a Slurm step's job run); null for a run that stands alone. */
  parentRunId: string | null;
}

export interface RunEventRef {
  eventId: string;
  type: "runStarted" | "snapshotCaptured" | "runFinished";
  timeUnixMs: number;
}

export interface RunDetail extends RunSummary {
  orchestratorContext: OrchestratorContext | null;
  config: RunConfig | null;
  agentVersion: string;
  environment: EnvironmentSnapshot | null;
  host: HostSnapshot | null;
  code: CodeSnapshot | null;
  warnings: CaptureWarning[];
  /** Files the run declared as outputs (`wrap --output`), sorted by path; digest "" for one that was missing. */
  outputs: OutputFile[];
  events: RunEventRef[];
  /** Runs that name this one as their parent, newest first, at most MAX_CHILDREN. */
  children: string[];
}

export interface RunQuery {
  pipeline?: string;
  step?: string;
  status?: RunStatus;
  /** PEP 503 name (any spelling; normalised before matching). */
  package?: string;
  /** Exact version ("2.7.1") or a PEP 440 specifier (">=2,<3"); needs `package`. */
  version?: string;
  /** Only the runs beneath this run (its children). */
  parent?: string;
  /** Only runs whose environment snapshot has this digest (sha256:...). */
  environment?: string;
  orchestrator?: OrchestratorKind;
  /** Only runs that sort at or after this time (unix ms; the start time, else the first event's). */
  since?: number;
  /** Only runs that sort before this time (unix ms). */
  until?: number;
  /** The page after this position in the list's order (newest first): a cursor's content. */
  after?: RunListPosition;
  limit?: number;
}

/**
 * A place in the runs list, whose order is (sort time, run id), both descending: stable, since a
 * run's sort time is its start (else its first event) and ids are unique.
 */
export interface RunListPosition {
  sortUnixMs: number;
  runId: string;
}

/** A run that ran with a package, and the versions of it its environment held (GET /api/v1/packages/:name/runs). */
export interface PackageRun {
  run: RunSummary;
  /** Sorted; the ones matching the version filter when one was given. Almost always exactly one. */
  versions: string[];
}

/** One page of GET /api/v1/packages/:name/runs. */
export interface PackageRunPage {
  /** The PEP 503 normalised name searched for. */
  package: string;
  runs: PackageRun[];
  /** As RunPage's: pass it back as `cursor` with the same filters. */
  nextCursor: string | null;
}

/** One page of GET /api/v1/runs. */
export interface RunPage {
  runs: RunSummary[];
  /** Where the next page starts; null on the last page. Pass it back as `cursor` with the same filters. */
  nextCursor: string | null;
}

/** One run of a step and what moved since the step's run before it (GET /api/v1/timeline). */
export interface TimelineRun {
  run: RunSummary;
  /** Its environment digest differs from the step's previous run's; false for the step's first run. */
  environmentChanged: boolean;
  /** Its code digest or git commit differs from the step's previous run's. */
  codeChanged: boolean;
}

/** One page of a step's timeline, newest first, in the runs list's order and cursors. */
export interface StepTimeline {
  runs: TimelineRun[];
  nextCursor: string | null;
}

export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

export interface PackageRef {
  name: string;
  version: string;
}

export interface PackageChange {
  name: string;
  from: string;
  to: string;
  /** PEP 440 ordering of the two versions; "source" when only the source (VCS commit, url) moved. */
  direction: "upgrade" | "downgrade" | "source" | "incomparable";
  /** The first release segment changed (1.10.13 -> 2.7.1). */
  major: boolean;
  sourceFrom?: string;
  sourceTo?: string;
}

export interface FilePatch {
  path: string;
  /** Unified diff text; empty for binary files or when an archive is not available. */
  unified: string;
  binary: boolean;
}

/** How a path stands in one code snapshot; "left out": named, its content not recorded (secret pattern). */
export type CodeFileState = "recorded" | "left out" | "absent";

/**
 * A file left out of a code snapshot (secret pattern) on at least one side. Its content is not
 * recorded, so it is never compared: left out on both sides is not a change, and it is not in
 * added / removed / modified.
 */
export interface LeftOutChange {
  path: string;
  from: CodeFileState;
  to: CodeFileState;
  /** Why, as the snapshot says: "secret pattern". */
  reason: string;
}

export interface CodeDiff {
  commitFrom: string | null;
  commitTo: string | null;
  branchFrom: string | null;
  branchTo: string | null;
  dirtyFrom: boolean;
  dirtyTo: boolean;
  added: string[];
  removed: string[];
  modified: string[];
  /** Files left out (secret pattern) on either side, sorted by path. */
  leftOut: LeftOutChange[];
  patches: FilePatch[];
  /** Why patches are missing, when they are (archive not in the blob store, too large). */
  note?: string;
}

export interface EnvVarChange {
  name: string;
  from: string | null;
  to: string | null;
  redacted: boolean;
}

export interface RunDiff {
  a: RunSummary;
  b: RunSummary;
  identical: boolean;
  packages: {
    added: PackageRef[];
    removed: PackageRef[];
    changed: PackageChange[];
    unchanged: number;
  };
  interpreter: FieldChange[];
  image: FieldChange[];
  os: FieldChange[];
  host: FieldChange[];
  code: CodeDiff | null;
  config: FieldChange[];
  env: EnvVarChange[];
  modules: { added: string[]; removed: string[] };
}

/** A snapshot body by digest (GET /api/v1/snapshots/:digest). */
export interface StoredSnapshot {
  digest: string;
  kind: SnapshotKind;
  body: object;
}

/** A run that produced a file with some content (GET /api/v1/outputs/:digest). */
export interface OutputProducer {
  run: RunSummary;
  /** The output's path as that run recorded it. */
  path: string;
  size: number;
}

/** A run whose outputs can stand in for running a command again (GET /api/v1/cache/:key). */
export interface CacheHit {
  run: RunSummary;
  outputs: OutputFile[];
}
