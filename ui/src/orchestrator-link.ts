import type { RunDetail } from "../../core/api-types";
import type { SessionInfo } from "../../core/ui-api-types";

export interface OrchestratorLink {
  label: string;
  href: string;
}

const seg = encodeURIComponent;

/**
 * Links from a run back to the orchestrator's own UI, where the collector was given its base
 * URL (--link-airflow, --link-kfp): an Airflow task instance (also for a Slurm job an Airflow
 * task started), a Kubeflow Pipelines run. Slurm has no web UI of its own: its job id is shown.
 */
export function orchestratorLinks(run: RunDetail, links: SessionInfo["links"]): OrchestratorLink[] {
  const a = run.orchestratorContext?.attributes ?? {};
  const out: OrchestratorLink[] = [];
  const airflow = (dag: string, dagRun: string, task: string, mapIndex: string | undefined) => {
    if (!links.airflow || !dag || !dagRun || !task) return;
    const mapped = mapIndex !== undefined && /^\d+$/.test(mapIndex) ? `/mapped/${seg(mapIndex)}` : "";
    out.push({ label: "Task instance in Airflow", href: `${links.airflow}/dags/${seg(dag)}/runs/${seg(dagRun)}/tasks/${seg(task)}${mapped}` });
  };
  if (run.orchestrator === "AIRFLOW") airflow(run.pipeline, run.pipelineRun, run.step, a.map_index);
  if (run.orchestrator === "SLURM") airflow(a.airflow_dag_id ?? "", a.airflow_dag_run_id ?? "", a.airflow_task_id ?? "", undefined);
  if (run.orchestrator === "KUBEFLOW" && links.kfp && run.pipelineRun) {
    out.push({ label: "Run in Kubeflow Pipelines", href: `${links.kfp}/#/runs/details/${seg(run.pipelineRun)}` });
  }
  return out;
}

/** The Slurm job id a run recorded, for `scontrol show job` / `sacct -j`. */
export function slurmJobId(run: RunDetail): string | undefined {
  if (run.orchestrator !== "SLURM") return undefined;
  return run.orchestratorContext?.attributes.job_id || run.pipelineRun || undefined;
}
