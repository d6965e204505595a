import type { JobRecord } from "./job-record.js";

const NONE = new Set(["", "(null)", "N/A", "None", "UNLIMITED", "Unknown"]);

function val(r: JobRecord, key: string): string {
  const v = r[key]?.trim() ?? "";
  return NONE.has(v) ? "" : v;
}

/** "gres:gpu:2,gres:nic:1" (TresPerNode) -> "gpu:2,nic:1", what --gres takes. */
export function gresFromTres(tres: string): string {
  return tres
    .split(",")
    .map((t) => t.trim().replace(/^gres[:/]/, ""))
    .filter((t) => t !== "")
    .join(",");
}

/** The GPU count of a TRES list ("gres:gpu:2" or "gres/gpu=2"), "" without GPUs. */
function gpuCount(tres: string): string {
  const m = /gpu(?::[^:,=]+)?[:=](\d+)/.exec(tres);
  return m ? m[1]! : "";
}

/**
 * What the job asked for, keyed by the sbatch long option that asks for it (the convention of
 * agent/orchestrator/run-config-for.ts), from the job record, so a resubmit passes each back as
 * `--KEY=VALUE`: partition, nodes, ntasks, ntasks-per-node, cpus-per-task, mem / mem-per-cpu,
 * gres (as requested: TresPerNode), gpus, gpus-per-task, time (TimeLimit, as sbatch writes it),
 * account, qos, job-name, chdir, constraint, array (this task's index, so a resubmit reruns it).
 */
export function jobParameters(r: JobRecord, env: NodeJS.ProcessEnv): Record<string, string> {
  const p: Record<string, string> = {};
  const set = (key: string, value: string): void => {
    if (value !== "") p[key] = value;
  };
  set("partition", val(r, "Partition"));
  set("nodes", val(r, "NumNodes"));
  set("ntasks", val(r, "NumTasks"));
  const perNode = val(r, "NtasksPerN:B:S:C").split(":")[0] ?? "";
  if (/^[1-9]\d*$/.test(perNode)) set("ntasks-per-node", perNode);
  set("cpus-per-task", val(r, "CPUs/Task"));
  const mem = val(r, "MinMemoryNode");
  if (mem !== "" && mem !== "0") set("mem", mem);
  const memCpu = val(r, "MinMemoryCPU");
  if (memCpu !== "" && memCpu !== "0") set("mem-per-cpu", memCpu);
  set("gres", gresFromTres(val(r, "TresPerNode")));
  set("gpus", gpuCount(val(r, "TresPerJob")));
  set("gpus-per-task", gpuCount(val(r, "TresPerTask")));
  set("time", val(r, "TimeLimit"));
  set("account", val(r, "Account"));
  set("qos", val(r, "QOS"));
  set("job-name", val(r, "JobName") || (env.SLURM_JOB_NAME?.trim() ?? ""));
  set("chdir", val(r, "WorkDir"));
  set("constraint", val(r, "Features"));
  const task = env.SLURM_ARRAY_TASK_ID?.trim() ?? "";
  if (/^\d+$/.test(task)) set("array", task);
  return p;
}

/**
 * Job facts that are not resources: they go into OrchestratorContext.attributes (state at start,
 * submit and start times, the command, output files, TRES, the array as submitted, restarts, the
 * submit line where this Slurm keeps one, the GPUs given).
 */
export function jobAttributes(r: JobRecord | undefined, env: NodeJS.ProcessEnv): Record<string, string> {
  const a: Record<string, string> = {};
  const set = (key: string, value: string): void => {
    if (value !== "") a[key] = value;
  };
  if (r) {
    set("job_state", val(r, "JobState"));
    set("submit_time", val(r, "SubmitTime"));
    set("start_time", val(r, "StartTime"));
    set("command", val(r, "Command"));
    set("std_out", val(r, "StdOut"));
    set("std_err", val(r, "StdErr"));
    set("tres", val(r, "TRES"));
    set("tres_per_node", val(r, "TresPerNode"));
    set("restarts", val(r, "Restarts"));
    set("batch_host", val(r, "BatchHost"));
    set("dependency", val(r, "Dependency"));
    set("submit_line", val(r, "SubmitLine"));
    set("time_limit", val(r, "TimeLimit"));
    set("user", val(r, "UserId"));
  }
  const min = env.SLURM_ARRAY_TASK_MIN?.trim() ?? "";
  const max = env.SLURM_ARRAY_TASK_MAX?.trim() ?? "";
  const step = env.SLURM_ARRAY_TASK_STEP?.trim() ?? "";
  if (min !== "" && max !== "") set("array_range", `${min}-${max}${step !== "" && step !== "1" ? `:${step}` : ""}`);
  set("array_task_count", env.SLURM_ARRAY_TASK_COUNT?.trim() ?? "");
  set("cuda_visible_devices", env.CUDA_VISIBLE_DEVICES?.trim() ?? "");
  set("job_gpus", env.SLURM_JOB_GPUS?.trim() ?? "");
  return a;
}
