// Original file: proto/snaptrail/v1/events.proto

import type { OrchestratorContext as _snaptrail_v1_OrchestratorContext, OrchestratorContext__Output as _snaptrail_v1_OrchestratorContext__Output } from '../../snaptrail/v1/OrchestratorContext.js';
import type { RunConfig as _snaptrail_v1_RunConfig, RunConfig__Output as _snaptrail_v1_RunConfig__Output } from '../../snaptrail/v1/RunConfig.js';

export interface RunStarted {
  'orchestrator'?: (_snaptrail_v1_OrchestratorContext | null);
  'config'?: (_snaptrail_v1_RunConfig | null);
  'hostname'?: (string);
  'agentVersion'?: (string);
  /**
   * run id this run was resubmitted from, when it was
   */
  'rollbackOf'?: (string);
}

export interface RunStarted__Output {
  'orchestrator': (_snaptrail_v1_OrchestratorContext__Output | null);
  'config': (_snaptrail_v1_RunConfig__Output | null);
  'hostname': (string);
  'agentVersion': (string);
  /**
   * run id this run was resubmitted from, when it was
   */
  'rollbackOf': (string);
}
