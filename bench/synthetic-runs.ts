// Synthetic runs for the store and API benchmarks: environments of N packages drawn with a Zipf
// skew (a few images run most jobs), steps that keep an environment for a while then move (an
// image rebuild), 64 hosts. An environment's body is sent only the first time, as an agent does
// after asking HasDigests. Deterministic: every backend loads identical data.
import { snapshotDigest } from "../core/digest.js";
import type { EnvironmentSnapshot, HostSnapshot, SnapshotEvent } from "../core/model.js";
import { envSnapshot, hostSnapshot } from "../test/helpers/collector-fixtures.js";

export const T0 = 1_700_000_000_000;

// A deterministic PRNG so both backends load identical data.
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function zipf(random: () => number, n: number): number {
  // Inverse-CDF of a continuous 1/x^1.1 approximation: index 0 is the most popular.
  const u = random();
  return Math.min(n - 1, Math.floor(Math.pow(n + 1, u) - 1));
}

export interface Environment {
  digest: string;
  body: EnvironmentSnapshot;
}

export function environments(count: number, packagesPerEnv: number): Environment[] {
  const random = rng(7);
  const pool = Array.from({ length: 2000 }, (_, i) => `pkg-${i}`);
  const out: Environment[] = [];
  for (let e = 0; e < count; e++) {
    const packages: Record<string, string> = { pydantic: `${1 + (e % 2)}.${e % 11}.${e % 7}`, numpy: `1.${20 + (e % 7)}.0` };
    while (Object.keys(packages).length < packagesPerEnv) {
      packages[pool[Math.floor(random() * pool.length)]!] = `${Math.floor(random() * 5)}.${Math.floor(random() * 20)}.${Math.floor(random() * 10)}`;
    }
    const body = envSnapshot(packages, e % 3 === 0 ? "3.10.12" : "3.11.7");
    out.push({ digest: snapshotDigest("environment", body), body });
  }
  return out;
}

export interface RunShape {
  runs: number;
  pipelines: number;
  stepsPerPipeline: number;
  batchEvents: number;
}

/** Each run's three events (started, captured, finished), in batches; the same data for every call. */
export function* runEvents(shape: RunShape, envs: Environment[], hosts: { digest: string; body: HostSnapshot }[]): Generator<SnapshotEvent[]> {
  const { runs: RUNS, pipelines: PIPELINES, stepsPerPipeline: STEPS, batchEvents: BATCH_EVENTS } = shape;
  const random = rng(11);
  const sentEnv = new Set<string>();
  const sentHost = new Set<string>();
  let batch: SnapshotEvent[] = [];
  for (let i = 0; i < RUNS; i++) {
    const stepIndex = Math.floor(random() * PIPELINES * STEPS);
    const pipeline = `pipeline-${Math.floor(stepIndex / STEPS)}`;
    const step = `step-${stepIndex % STEPS}`;
    // A step keeps its environment for a while, then moves (an image rebuild): the timeline.
    const env = envs[(zipf(random, envs.length) + Math.floor(i / 50_000)) % envs.length]!;
    const host = hosts[i % hosts.length]!;
    const runId = `slurm:bench/${i}`;
    const time = T0 + i * 1000;
    batch.push(
      {
        eventId: `${runId}#s`,
        runId,
        timeUnixMs: time,
        payload: "runStarted",
        runStarted: {
          orchestrator: { kind: "SLURM", pipeline, pipelineRun: `r${i}`, step, attempt: 1, attributes: {} },
          config: { argv: ["python", "train.py"], cwd: "/work", parameters: {}, script: "" },
          hostname: host.body.hostname,
          agentVersion: "0.1.0",
          rollbackOf: "",
          cacheKey: "",
          cachedFrom: "",
          parentRunId: "",
        },
      },
      {
        eventId: `${runId}#c`,
        runId,
        timeUnixMs: time + 100,
        payload: "snapshotCaptured",
        snapshotCaptured: {
          environmentDigest: env.digest,
          environment: sentEnv.has(env.digest) ? null : env.body,
          hostDigest: host.digest,
          host: sentHost.has(host.digest) ? null : host.body,
          codeDigest: "",
          code: null,
          warnings: [],
          captureMs: 40,
        },
      },
      {
        eventId: `${runId}#f`,
        runId,
        timeUnixMs: time + 60_000,
        payload: "runFinished",
        runFinished: { exitCode: random() < 0.1 ? 1 : 0, signal: "", durationMs: 59_900, error: "", outputs: [] },
      },
    );
    sentEnv.add(env.digest);
    sentHost.add(host.digest);
    if (batch.length >= BATCH_EVENTS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export function hosts(count = 64): { digest: string; body: HostSnapshot }[] {
  return Array.from({ length: count }, (_, i) => {
    const body = hostSnapshot(`gpu-node-${i}`);
    return { digest: snapshotDigest("host", body), body };
  });
}
