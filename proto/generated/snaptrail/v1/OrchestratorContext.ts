// Original file: proto/snaptrail/v1/events.proto


// Original file: proto/snaptrail/v1/events.proto

export const _snaptrail_v1_OrchestratorContext_Kind = {
  KIND_UNSPECIFIED: 'KIND_UNSPECIFIED',
  LOCAL: 'LOCAL',
  AIRFLOW: 'AIRFLOW',
  KUBEFLOW: 'KUBEFLOW',
  SLURM: 'SLURM',
} as const;

export type _snaptrail_v1_OrchestratorContext_Kind =
  | 'KIND_UNSPECIFIED'
  | 0
  | 'LOCAL'
  | 1
  | 'AIRFLOW'
  | 2
  | 'KUBEFLOW'
  | 3
  | 'SLURM'
  | 4

export type _snaptrail_v1_OrchestratorContext_Kind__Output = typeof _snaptrail_v1_OrchestratorContext_Kind[keyof typeof _snaptrail_v1_OrchestratorContext_Kind]

export interface OrchestratorContext {
  'kind'?: (_snaptrail_v1_OrchestratorContext_Kind);
  /**
   * Airflow DAG id, KFP pipeline, Slurm job name
   */
  'pipeline'?: (string);
  /**
   * Airflow dag_run id, KFP run id, Slurm job id
   */
  'pipelineRun'?: (string);
  /**
   * Airflow task id, KFP task, Slurm step
   */
  'step'?: (string);
  /**
   * Airflow try number, restart count
   */
  'attempt'?: (number);
  'attributes'?: ({[key: string]: string});
}

export interface OrchestratorContext__Output {
  'kind': (_snaptrail_v1_OrchestratorContext_Kind__Output);
  /**
   * Airflow DAG id, KFP pipeline, Slurm job name
   */
  'pipeline': (string);
  /**
   * Airflow dag_run id, KFP run id, Slurm job id
   */
  'pipelineRun': (string);
  /**
   * Airflow task id, KFP task, Slurm step
   */
  'step': (string);
  /**
   * Airflow try number, restart count
   */
  'attempt': (number);
  'attributes': ({[key: string]: string});
}
