// Builders for RunDetail values and code archives, for the diff and render tests.
import { createHash } from "node:crypto";
import * as tar from "tar-stream";
import type { RunDetail } from "../../core/api-types.js";
import type { CodeSnapshot, EnvironmentSnapshot, HostSnapshot, Package, PackageSource } from "../../core/model.js";
import type { MemoryBlobStore } from "./memory-blob-store.js";

export function source(over: Partial<PackageSource> = {}): PackageSource {
  return { kind: "index", url: "", vcs: "", commit: "", archiveHash: "", channel: "", build: "", recordDigest: "", ...over };
}

export function pkg(name: string, version: string, over: Partial<Package> = {}): Package {
  return { name, version, installer: "pip", source: source(), shadowed: false, ...over };
}

export function environment(over: Partial<EnvironmentSnapshot> = {}): EnvironmentSnapshot {
  return {
    interpreter: {
      implementation: "cpython",
      version: "3.11.7",
      executable: "/opt/venv/bin/python",
      prefix: "/opt/venv",
      basePrefix: "/usr",
      platform: "linux-x86_64",
      kind: "venv",
    },
    packages: [pkg("numpy", "1.26.4"), pkg("pydantic", "1.10.13"), pkg("requests", "2.31.0")],
    image: { reference: "ghcr.io/acme/train:2024-05", digest: "sha256:" + "a".repeat(64), source: "kubernetes", runtime: "kubernetes" },
    os: { id: "debian", versionId: "12", prettyName: "Debian GNU/Linux 12 (bookworm)", libc: "glibc 2.36" },
    env: [
      { name: "CUDA_VISIBLE_DEVICES", value: "0,1", redacted: false },
      { name: "WANDB_API_KEY", value: "<redacted sha256:1111>", redacted: true },
    ],
    modules: [],
    indexes: null,
    ...over,
  };
}

export function host(over: Partial<HostSnapshot> = {}): HostSnapshot {
  const gpu = (index: number) => ({ index, model: "NVIDIA H100 80GB HBM3", uuid: `GPU-${index}`, memoryMib: 81559, driverVersion: "550.54.15" });
  return {
    hostname: "gpu-node-01",
    arch: "x86_64",
    kernel: "6.1.0-18-amd64",
    cpuModel: "AMD EPYC 9454",
    cpuCount: 96,
    memoryBytes: 1024 ** 4,
    gpus: [gpu(0), gpu(1)],
    cudaDriverVersion: "12.4",
    ...over,
  };
}

export function run(id: string, over: Partial<RunDetail> = {}): RunDetail {
  return {
    runId: id,
    orchestrator: "AIRFLOW",
    pipeline: "nightly_train",
    pipelineRun: "scheduled__2024-05-01",
    step: "train",
    attempt: 1,
    status: "succeeded",
    startedAt: "2024-05-01T02:00:00.000Z",
    finishedAt: "2024-05-01T02:41:05.000Z",
    durationMs: 2_465_000,
    exitCode: 0,
    signal: null,
    hostname: "gpu-node-01",
    environmentDigest: "sha256:" + "e".repeat(64),
    hostDigest: "sha256:" + "f".repeat(64),
    codeDigest: null,
    gitCommit: null,
    rollbackOf: null,
    cacheKey: null,
    cachedFrom: null,
    parentRunId: null,
    orchestratorContext: null,
    config: { argv: ["python", "train.py", "--lr", "0.1"], cwd: "/work", parameters: { epochs: "3" }, script: "" },
    agentVersion: "0.1.0",
    environment: environment(),
    host: host(),
    code: null,
    warnings: [],
    outputs: [],
    events: [],
    children: [],
    ...over,
  };
}

export async function tarArchive(files: Record<string, string | Buffer>, prefix = ""): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name: prefix + name, mode: 0o644 }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A code snapshot of `files`, with its tar archive put into `blobs` unless `storeArchive` is false. */
export async function codeSnapshot(
  files: Record<string, string | Buffer>,
  blobs: MemoryBlobStore,
  opts: { commit?: string; branch?: string; dirty?: boolean; storeArchive?: boolean } = {},
): Promise<CodeSnapshot> {
  const archive = await tarArchive(files);
  const archiveDigest = opts.storeArchive === false ? `sha256:${createHash("sha256").update(archive).digest("hex")}` : await blobs.add(archive);
  return {
    root: "/work",
    git: { commit: opts.commit ?? "1".repeat(40), branch: opts.branch ?? "main", remoteUrl: "https://github.com/acme/train.git", dirty: opts.dirty ?? false, patch: "" },
    files: Object.entries(files)
      .map(([path, content]) => ({ path, sha256: createHash("sha256").update(content).digest("hex"), size: Buffer.byteLength(content), mode: 0o644 }))
      .sort((x, y) => (x.path < y.path ? -1 : 1)),
    archiveDigest,
    archiveBytes: archive.length,
    leftOut: [],
  };
}
