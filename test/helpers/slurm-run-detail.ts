// A Slurm run as the collector's HTTP API answers it, for tests of the resubmit adapters.
import type { RunDetail } from "../../core/api-types.js";
import { snapshotDigest } from "../../core/digest.js";
import { codeSnapshot, envSnapshot } from "./collector-fixtures.js";

export interface SlurmRunOptions {
  runId?: string;
  script?: string;
  parameters?: Record<string, string>;
  cwd?: string;
  kind?: RunDetail["orchestrator"];
  withCode?: boolean;
  withEnvironment?: boolean;
}

export function slurmRunDetail(o: SlurmRunOptions = {}): RunDetail {
  const environment = o.withEnvironment === false ? null : { ...envSnapshot({ numpy: "1.26.4" }), interpreter: { ...envSnapshot({}).interpreter!, prefix: "/shared/envs/train", executable: "/shared/envs/train/bin/python" } };
  const code = o.withCode === false ? null : { ...codeSnapshot("a".repeat(40)), root: "/home/ana/proj" };
  const runId = o.runId ?? "slurm:hpc/41";
  return {
    runId,
    orchestrator: o.kind ?? "SLURM",
    pipeline: "train",
    pipelineRun: "41",
    step: "",
    attempt: 1,
    status: "succeeded",
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    exitCode: 0,
    signal: null,
    hostname: "node1",
    environmentDigest: environment ? snapshotDigest("environment", environment) : null,
    hostDigest: null,
    codeDigest: code ? snapshotDigest("code", code) : null,
    gitCommit: null,
    rollbackOf: null,
    cacheKey: null,
    cachedFrom: null,
    parentRunId: null,
    orchestratorContext: null,
    config: {
      argv: [],
      cwd: o.cwd ?? "/home/ana/proj",
      parameters: o.parameters ?? { partition: "gpu", gres: "gpu:2", time: "00:10:00", "job-name": "train", chdir: "/home/ana/proj/runs" },
      script: o.script ?? "#!/bin/bash\n#SBATCH --gres=gpu:2\nsource /shared/envs/train/bin/activate\ncd /home/ana/proj\npython train.py\n",
    },
    agentVersion: "test",
    environment,
    host: null,
    code,
    warnings: [],
    outputs: [],
    events: [],
    children: [],
  };
}
