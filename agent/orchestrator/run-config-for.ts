import type { OrchestratorContext, RunConfig } from "../../core/model.js";
import { redactArgv, redactNamedValue } from "../env/redact.js";

function v(env: NodeJS.ProcessEnv, name: string): string {
  return env[name]?.trim() ?? "";
}

/**
 * The resources a Slurm job was given, keyed by the sbatch option that asks for them, so a
 * resubmit can pass them back: partition, nodes, ntasks, cpus-per-task, mem (MiB), gres
 * ("gpu:N" from SLURM_GPUS_ON_NODE, else the count of SLURM_JOB_GPUS), gpus, gpus-per-node,
 * account, qos, job-name, time-limit (minutes, from the start and end times).
 */
export function slurmParameters(env: NodeJS.ProcessEnv): Record<string, string> {
  const p: Record<string, string> = {};
  const set = (key: string, value: string) => {
    if (value !== "") p[key] = value;
  };
  set("partition", v(env, "SLURM_JOB_PARTITION"));
  set("nodes", v(env, "SLURM_JOB_NUM_NODES") || v(env, "SLURM_NNODES"));
  set("ntasks", v(env, "SLURM_NTASKS"));
  set("cpus-per-task", v(env, "SLURM_CPUS_PER_TASK"));
  const memPerNode = v(env, "SLURM_MEM_PER_NODE");
  set("mem", memPerNode !== "" ? `${memPerNode}M` : "");
  const memPerCpu = v(env, "SLURM_MEM_PER_CPU");
  set("mem-per-cpu", memPerCpu !== "" ? `${memPerCpu}M` : "");
  const onNode = v(env, "SLURM_GPUS_ON_NODE");
  const jobGpus = v(env, "SLURM_JOB_GPUS");
  const gpuCount = /^\d+$/.test(onNode) ? onNode : jobGpus !== "" ? String(jobGpus.split(",").filter((g) => g.trim() !== "").length) : "";
  set("gres", gpuCount !== "" && gpuCount !== "0" ? `gpu:${gpuCount}` : "");
  set("gpus", v(env, "SLURM_GPUS"));
  set("gpus-per-node", v(env, "SLURM_GPUS_PER_NODE"));
  set("account", v(env, "SLURM_JOB_ACCOUNT"));
  set("qos", v(env, "SLURM_JOB_QOS"));
  set("job-name", v(env, "SLURM_JOB_NAME"));
  const start = Number(v(env, "SLURM_JOB_START_TIME"));
  const end = Number(v(env, "SLURM_JOB_END_TIME"));
  if (Number.isFinite(start) && Number.isFinite(end) && start > 0 && end > start) set("time-limit", String(Math.round((end - start) / 60)));
  return p;
}

/**
 * The command line, the directory, and the orchestrator's parameters, with secrets redacted by
 * the rules env vars follow: a parameter with a secret name loses its whole value, any other
 * loses the parts that look like secrets.
 */
export function runConfigFor(ctx: OrchestratorContext, argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv, salt: string): RunConfig {
  const parameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctx.kind === "SLURM" ? slurmParameters(env) : {})) parameters[key] = redactNamedValue(key, value, salt).value;
  return { argv: redactArgv(argv, salt).argv, cwd, parameters, script: "" };
}
