// Original file: proto/snaptrail/v1/events.proto

import type { OrchestratorContext as _snaptrail_v1_OrchestratorContext, OrchestratorContext__Output as _snaptrail_v1_OrchestratorContext__Output } from '../../snaptrail/v1/OrchestratorContext.js';
import type { RunConfig as _snaptrail_v1_RunConfig, RunConfig__Output as _snaptrail_v1_RunConfig__Output } from '../../snaptrail/v1/RunConfig.js';

export interface RunStarted {
  'orchestrator'?: (_snaptrail_v1_OrchestratorContext | null);
  'config'?: (_snaptrail_v1_RunConfig | null);
  'hostname'?: (string);
  'agentVersion'?: (string);
  /**
   * run id this run was resubmitted or restored from, when it was
   */
  'rollbackOf'?: (string);
  /**
   * `wrap --cache`: sha256 over code digest, environment digest, command, declared inputs'
   * hashes and parameters. Equal keys mean the same work; the environment is part of it.
   */
  'cacheKey'?: (string);
  /**
   * A cache hit: the command did not run; its outputs were restored from this run's.
   */
  'cachedFrom'?: (string);
  /**
   * The run this one is a part of: a Slurm step run names its job run (`slurm:c/123.0` ->
   * `slurm:c/123`). Several writers of one job each record a run of their own beneath the job's
   * instead of rewriting it; empty for a run that stands alone.
   */
  'parentRunId'?: (string);
}

export interface RunStarted__Output {
  'orchestrator': (_snaptrail_v1_OrchestratorContext__Output | null);
  'config': (_snaptrail_v1_RunConfig__Output | null);
  'hostname': (string);
  'agentVersion': (string);
  /**
   * run id this run was resubmitted or restored from, when it was
   */
  'rollbackOf': (string);
  /**
   * `wrap --cache`: sha256 over code digest, environment digest, command, declared inputs'
   * hashes and parameters. Equal keys mean the same work; the environment is part of it.
   */
  'cacheKey': (string);
  /**
   * A cache hit: the command did not run; its outputs were restored from this run's.
   */
  'cachedFrom': (string);
  /**
   * The run this one is a part of: a Slurm step run names its job run (`slurm:c/123.0` ->
   * `slurm:c/123`). Several writers of one job each record a run of their own beneath the job's
   * instead of rewriting it; empty for a run that stands alone.
   */
  'parentRunId': (string);
}
