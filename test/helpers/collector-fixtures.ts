// Small valid snapshots and events for the collector's tests, with digests computed the way
// the agent computes them (core/digest.ts).
import { snapshotDigest } from "../../core/digest.js";
import type { CodeSnapshot, EnvironmentSnapshot, HostSnapshot, OrchestratorKind, OutputFile, SnapshotEvent } from "../../core/model.js";

export function envSnapshot(packages: Record<string, string>, python = "3.11.7"): EnvironmentSnapshot {
  return {
    interpreter: {
      implementation: "cpython",
      version: python,
      executable: "/opt/venv/bin/python",
      prefix: "/opt/venv",
      basePrefix: "/usr",
      platform: "linux-x86_64",
      kind: "venv",
    },
    packages: Object.entries(packages)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, version]) => ({
        name,
        version,
        installer: "pip",
        source: { kind: "index", url: "", vcs: "", commit: "", archiveHash: "", channel: "", build: "", recordDigest: "" },
        shadowed: false,
      })),
    image: null,
    os: { id: "debian", versionId: "12", prettyName: "Debian GNU/Linux 12 (bookworm)", libc: "glibc 2.36" },
    env: [{ name: "CUDA_VISIBLE_DEVICES", value: "0", redacted: false }],
    modules: [],
    indexes: null,
  };
}

export function hostSnapshot(hostname = "gpu-node-01"): HostSnapshot {
  return {
    hostname,
    arch: "x86_64",
    kernel: "6.1.0",
    cpuModel: "AMD EPYC",
    cpuCount: 64,
    memoryBytes: 512 * 1024 ** 3,
    gpus: [{ index: 0, model: "NVIDIA H100", uuid: "GPU-0", memoryMib: 81559, driverVersion: "550.54.15" }],
    cudaDriverVersion: "12.4",
  };
}

export function codeSnapshot(commit: string, archiveDigest = ""): CodeSnapshot {
  return {
    root: "/home/ci/work",
    git: { commit, branch: "main", remoteUrl: "https://example.com/acme/train.git", dirty: false, patch: "" },
    files: [{ path: "train.py", sha256: "0".repeat(64), size: 10, mode: 0o644 }],
    archiveDigest,
    archiveBytes: 0,
    leftOut: [],
  };
}

export interface StartedOptions {
  eventId?: string;
  time?: number;
  kind?: OrchestratorKind;
  pipeline?: string;
  pipelineRun?: string;
  step?: string;
  attempt?: number;
  hostname?: string;
  rollbackOf?: string;
  cacheKey?: string;
  cachedFrom?: string;
  parentRunId?: string;
}

export function startedEvent(runId: string, o: StartedOptions = {}): SnapshotEvent {
  return {
    eventId: o.eventId ?? `${runId}#started`,
    runId,
    timeUnixMs: o.time ?? 1_714_000_000_000,
    runStarted: {
      orchestrator: {
        kind: o.kind ?? "AIRFLOW",
        pipeline: o.pipeline ?? "nightly_train",
        pipelineRun: o.pipelineRun ?? "scheduled__2024-05-01",
        step: o.step ?? "train",
        attempt: o.attempt ?? 1,
        attributes: { queue: "gpu" },
      },
      config: { argv: ["python", "train.py", "--lr", "0.1"], cwd: "/home/ci/work", parameters: { lr: "0.1" }, script: "" },
      hostname: o.hostname ?? "gpu-node-01",
      agentVersion: "0.1.0",
      rollbackOf: o.rollbackOf ?? "",
      cacheKey: o.cacheKey ?? "",
      cachedFrom: o.cachedFrom ?? "",
      parentRunId: o.parentRunId ?? "",
    },
    payload: "runStarted",
  };
}

export interface SnapshotPart<T> {
  body: T;
  /** Leave the body out (the collector must already hold the digest). */
  omitBody?: boolean;
  /** Send this digest instead of the body's own. */
  digest?: string;
}

export function capturedEvent(
  runId: string,
  parts: { environment?: SnapshotPart<EnvironmentSnapshot>; host?: SnapshotPart<HostSnapshot>; code?: SnapshotPart<CodeSnapshot> },
  o: { eventId?: string; time?: number; warnings?: { source: string; message: string }[] } = {},
): SnapshotEvent {
  const part = <T extends object>(kind: "environment" | "host" | "code", p: SnapshotPart<T> | undefined) => ({
    digest: p ? (p.digest ?? snapshotDigest(kind, p.body)) : "",
    body: p && !p.omitBody ? p.body : null,
  });
  const env = part("environment", parts.environment);
  const host = part("host", parts.host);
  const code = part("code", parts.code);
  return {
    eventId: o.eventId ?? `${runId}#captured`,
    runId,
    timeUnixMs: o.time ?? 1_714_000_000_500,
    snapshotCaptured: {
      environmentDigest: env.digest,
      environment: env.body,
      hostDigest: host.digest,
      host: host.body,
      codeDigest: code.digest,
      code: code.body,
      warnings: o.warnings ?? [],
      captureMs: 42,
    },
    payload: "snapshotCaptured",
  };
}

export function finishedEvent(
  runId: string,
  o: { eventId?: string; time?: number; exitCode?: number; signal?: string; durationMs?: number; error?: string; outputs?: OutputFile[] } = {},
): SnapshotEvent {
  return {
    eventId: o.eventId ?? `${runId}#finished`,
    runId,
    timeUnixMs: o.time ?? 1_714_000_060_000,
    runFinished: { exitCode: o.exitCode ?? 0, signal: o.signal ?? "", durationMs: o.durationMs ?? 59_500, error: o.error ?? "", outputs: o.outputs ?? [] },
    payload: "runFinished",
  };
}
