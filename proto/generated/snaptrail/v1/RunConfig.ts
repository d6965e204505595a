// Original file: proto/snaptrail/v1/events.proto


/**
 * What the job was asked to do: the command line and the orchestrator's parameters.
 */
export interface RunConfig {
  'argv'?: (string)[];
  'cwd'?: (string);
  /**
   * Airflow conf/params, KFP parameters, sbatch options
   */
  'parameters'?: ({[key: string]: string});
  /**
   * The batch script exactly as submitted (Slurm), with secret values redacted like env vars;
   * what `resubmit` sends back. Empty when the orchestrator has no script.
   */
  'script'?: (string);
}

/**
 * What the job was asked to do: the command line and the orchestrator's parameters.
 */
export interface RunConfig__Output {
  'argv': (string)[];
  'cwd': (string);
  /**
   * Airflow conf/params, KFP parameters, sbatch options
   */
  'parameters': ({[key: string]: string});
  /**
   * The batch script exactly as submitted (Slurm), with secret values redacted like env vars;
   * what `resubmit` sends back. Empty when the orchestrator has no script.
   */
  'script': (string);
}
