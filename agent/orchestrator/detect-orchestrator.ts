import path from "node:path";
import type { OrchestratorContext } from "../../core/model.js";
import { isPythonExecutableName } from "../python/resolve-python.js";

/** What LOCAL runs are named after when SNAPTRAIL_PIPELINE / SNAPTRAIL_STEP are not set. */
export interface LocalHints {
  /** The command; the step is named after it (the script or module for `python x.py`). */
  argv?: readonly string[];
  cwd?: string;
  /** Top of the git work tree; the pipeline is named after it, else after cwd. */
  gitTop?: string | null;
}

function v(env: NodeJS.ProcessEnv, name: string): string {
  return env[name]?.trim() ?? "";
}

function attempt(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : 0;
}

function setIf(attrs: Record<string, string>, key: string, value: string): void {
  if (value !== "") attrs[key] = value;
}

/** `python train.py` → "train.py", `python -m pkg.mod` → "pkg.mod", `./run.sh` → "run.sh". */
export function commandName(argv: readonly string[]): string {
  const argv0 = argv[0] ?? "";
  if (!isPythonExecutableName(argv0)) return path.basename(argv0);
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "-m" || a === "-c") return a === "-m" ? (argv[i + 1] ?? "python") : "python -c";
    if (a.startsWith("-m") && a.length > 2) return a.slice(2);
    if (a === "-W" || a === "-X" || a === "-Q") {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    return path.basename(a);
  }
  return path.basename(argv0);
}

/**
 * Which orchestrator runs this job, and its ids for the run. Checked in this order:
 *
 * - Slurm (SLURM_JOB_ID). Checked first because sbatch passes the submitter's environment on:
 *   a Slurm job submitted from an Airflow task still carries AIRFLOW_CTX_*. The Airflow ids
 *   are then kept as attributes (airflow_dag_id, airflow_dag_run_id, airflow_task_id).
 * - Airflow (AIRFLOW_CTX_DAG_ID), from the variables Airflow sets for a task's process.
 * - Kubeflow Pipelines: KFP_RUN_ID, KFP_POD_NAME or ARGO_WORKFLOW_NAME. KFP's own launcher does
 *   not export the run id to the user container, so deploy/ is expected to set KFP_RUN_ID (and
 *   KFP_PIPELINE_NAME, KFP_TASK_NAME) from the pod's labels with the downward API; without them
 *   the Argo workflow name stands for the run and the pod name for the task.
 * - LOCAL otherwise: pipeline = SNAPTRAIL_PIPELINE or the git top folder's (else cwd's) name,
 *   step = SNAPTRAIL_STEP or the command's name (the script for `python train.py`).
 *
 * Per-job ids such as node lists and GPU indexes go into attributes here, never into the
 * environment snapshot.
 */
export function detectOrchestrator(env: NodeJS.ProcessEnv, hints: LocalHints = {}): OrchestratorContext {
  if (v(env, "SLURM_JOB_ID") !== "") return slurmContext(env);
  if (v(env, "AIRFLOW_CTX_DAG_ID") !== "") return airflowContext(env);
  if (v(env, "KFP_RUN_ID") !== "" || v(env, "KFP_POD_NAME") !== "" || v(env, "ARGO_WORKFLOW_NAME") !== "") return kubeflowContext(env);
  return localContext(env, hints);
}

function airflowContext(env: NodeJS.ProcessEnv): OrchestratorContext {
  const attributes: Record<string, string> = {};
  setIf(attributes, "logical_date", v(env, "AIRFLOW_CTX_LOGICAL_DATE") || v(env, "AIRFLOW_CTX_EXECUTION_DATE"));
  setIf(attributes, "dag_owner", v(env, "AIRFLOW_CTX_DAG_OWNER"));
  // -1 is Airflow's "not mapped"; only a real index names a separate attempt.
  const mapIndex = v(env, "AIRFLOW_CTX_MAP_INDEX");
  if (/^\d+$/.test(mapIndex)) attributes.map_index = mapIndex;
  return {
    kind: "AIRFLOW",
    pipeline: v(env, "AIRFLOW_CTX_DAG_ID"),
    pipelineRun: v(env, "AIRFLOW_CTX_DAG_RUN_ID"),
    step: v(env, "AIRFLOW_CTX_TASK_ID"),
    attempt: attempt(v(env, "AIRFLOW_CTX_TRY_NUMBER")),
    attributes,
  };
}

function slurmContext(env: NodeJS.ProcessEnv): OrchestratorContext {
  const jobId = v(env, "SLURM_JOB_ID");
  const arrayJob = v(env, "SLURM_ARRAY_JOB_ID");
  const arrayTask = v(env, "SLURM_ARRAY_TASK_ID");
  const attributes: Record<string, string> = {};
  setIf(attributes, "job_id", jobId);
  setIf(attributes, "array_job_id", arrayJob);
  setIf(attributes, "array_task_id", arrayTask);
  setIf(attributes, "cluster", v(env, "SLURM_CLUSTER_NAME"));
  setIf(attributes, "partition", v(env, "SLURM_JOB_PARTITION"));
  setIf(attributes, "nodelist", v(env, "SLURM_JOB_NODELIST"));
  setIf(attributes, "gpus", v(env, "SLURM_JOB_GPUS") || v(env, "SLURM_STEP_GPUS"));
  setIf(attributes, "gpus_on_node", v(env, "SLURM_GPUS_ON_NODE"));
  setIf(attributes, "account", v(env, "SLURM_JOB_ACCOUNT"));
  setIf(attributes, "qos", v(env, "SLURM_JOB_QOS"));
  setIf(attributes, "submit_dir", v(env, "SLURM_SUBMIT_DIR"));
  setIf(attributes, "airflow_dag_id", v(env, "AIRFLOW_CTX_DAG_ID"));
  setIf(attributes, "airflow_dag_run_id", v(env, "AIRFLOW_CTX_DAG_RUN_ID"));
  setIf(attributes, "airflow_task_id", v(env, "AIRFLOW_CTX_TASK_ID"));
  return {
    kind: "SLURM",
    pipeline: v(env, "SLURM_JOB_NAME"),
    // An array task is "<array job>_<task>", as squeue shows it; SLURM_JOB_ID is its own id.
    pipelineRun: arrayJob !== "" && arrayTask !== "" ? `${arrayJob}_${arrayTask}` : jobId,
    step: v(env, "SLURM_STEP_ID"),
    attempt: attempt(v(env, "SLURM_RESTART_COUNT")),
    attributes,
  };
}

/** The `name` of the Argo template (ARGO_TEMPLATE is its JSON), or "". */
function argoTemplateName(json: string): string {
  if (json === "") return "";
  try {
    const t = JSON.parse(json) as unknown;
    return typeof t === "object" && t !== null && typeof (t as { name?: unknown }).name === "string" ? (t as { name: string }).name : "";
  } catch {
    return "";
  }
}

/**
 * KFP's retry of a component: KFP_RETRY_COUNT when a launcher sets it, else the attempt Argo
 * names in the pod's node name (its `workflows.argoproj.io/node-name` annotation, which
 * deploy/kubeflow maps into ARGO_NODE_NAME): a retried node's children are "<node>(0)",
 * "<node>(1)", ... Loop iterations read "(0:item)" and are not attempts.
 */
export function kfpRetry(env: NodeJS.ProcessEnv): number {
  const explicit = v(env, "KFP_RETRY_COUNT");
  if (explicit !== "") return attempt(explicit);
  const m = /\((\d+)\)$/.exec(v(env, "ARGO_NODE_NAME"));
  return m?.[1] !== undefined ? Number(m[1]) : 0;
}

function kubeflowContext(env: NodeJS.ProcessEnv): OrchestratorContext {
  const pod = v(env, "KFP_POD_NAME") || v(env, "ARGO_POD_NAME");
  const workflow = v(env, "ARGO_WORKFLOW_NAME");
  const attributes: Record<string, string> = {};
  setIf(attributes, "pod", pod);
  setIf(attributes, "pod_uid", v(env, "KFP_POD_UID"));
  setIf(attributes, "namespace", v(env, "KFP_NAMESPACE") || v(env, "POD_NAMESPACE"));
  setIf(attributes, "workflow", workflow);
  setIf(attributes, "run_name", v(env, "KFP_RUN_NAME"));
  setIf(attributes, "node_id", v(env, "ARGO_NODE_ID"));
  setIf(attributes, "node_name", v(env, "ARGO_NODE_NAME"));
  return {
    kind: "KUBEFLOW",
    pipeline: v(env, "KFP_PIPELINE_NAME") || v(env, "SNAPTRAIL_PIPELINE") || workflow,
    pipelineRun: v(env, "KFP_RUN_ID") || workflow,
    step: v(env, "KFP_TASK_NAME") || v(env, "SNAPTRAIL_STEP") || argoTemplateName(v(env, "ARGO_TEMPLATE")) || pod,
    attempt: kfpRetry(env),
    attributes,
  };
}

function localContext(env: NodeJS.ProcessEnv, hints: LocalHints): OrchestratorContext {
  const base = hints.gitTop || hints.cwd || "";
  return {
    kind: "LOCAL",
    pipeline: v(env, "SNAPTRAIL_PIPELINE") || (base === "" ? "" : path.basename(base)),
    pipelineRun: "",
    step: v(env, "SNAPTRAIL_STEP") || commandName(hints.argv ?? []),
    attempt: 0,
    attributes: {},
  };
}
