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
}
