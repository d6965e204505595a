// Original file: proto/snaptrail/v1/query.proto

import type { RunSummary as _snaptrail_v1_RunSummary, RunSummary__Output as _snaptrail_v1_RunSummary__Output } from '../../snaptrail/v1/RunSummary.js';
import type { OrchestratorContext as _snaptrail_v1_OrchestratorContext, OrchestratorContext__Output as _snaptrail_v1_OrchestratorContext__Output } from '../../snaptrail/v1/OrchestratorContext.js';
import type { RunConfig as _snaptrail_v1_RunConfig, RunConfig__Output as _snaptrail_v1_RunConfig__Output } from '../../snaptrail/v1/RunConfig.js';
import type { EnvironmentSnapshot as _snaptrail_v1_EnvironmentSnapshot, EnvironmentSnapshot__Output as _snaptrail_v1_EnvironmentSnapshot__Output } from '../../snaptrail/v1/EnvironmentSnapshot.js';
import type { HostSnapshot as _snaptrail_v1_HostSnapshot, HostSnapshot__Output as _snaptrail_v1_HostSnapshot__Output } from '../../snaptrail/v1/HostSnapshot.js';
import type { CodeSnapshot as _snaptrail_v1_CodeSnapshot, CodeSnapshot__Output as _snaptrail_v1_CodeSnapshot__Output } from '../../snaptrail/v1/CodeSnapshot.js';
import type { CaptureWarning as _snaptrail_v1_CaptureWarning, CaptureWarning__Output as _snaptrail_v1_CaptureWarning__Output } from '../../snaptrail/v1/CaptureWarning.js';
import type { OutputFile as _snaptrail_v1_OutputFile, OutputFile__Output as _snaptrail_v1_OutputFile__Output } from '../../snaptrail/v1/OutputFile.js';
import type { RunEventRef as _snaptrail_v1_RunEventRef, RunEventRef__Output as _snaptrail_v1_RunEventRef__Output } from '../../snaptrail/v1/RunEventRef.js';

/**
 * One run with everything recorded about it. Unset message fields: not recorded.
 */
export interface RunDetail {
  'summary'?: (_snaptrail_v1_RunSummary | null);
  'orchestratorContext'?: (_snaptrail_v1_OrchestratorContext | null);
  'config'?: (_snaptrail_v1_RunConfig | null);
  'agentVersion'?: (string);
  'environment'?: (_snaptrail_v1_EnvironmentSnapshot | null);
  'host'?: (_snaptrail_v1_HostSnapshot | null);
  'code'?: (_snaptrail_v1_CodeSnapshot | null);
  'warnings'?: (_snaptrail_v1_CaptureWarning)[];
  /**
   * sorted by path; digest "" for a declared file that was missing
   */
  'outputs'?: (_snaptrail_v1_OutputFile)[];
  'events'?: (_snaptrail_v1_RunEventRef)[];
  /**
   * runs beneath this one, newest first (at most 100)
   */
  'children'?: (string)[];
}

/**
 * One run with everything recorded about it. Unset message fields: not recorded.
 */
export interface RunDetail__Output {
  'summary': (_snaptrail_v1_RunSummary__Output | null);
  'orchestratorContext': (_snaptrail_v1_OrchestratorContext__Output | null);
  'config': (_snaptrail_v1_RunConfig__Output | null);
  'agentVersion': (string);
  'environment': (_snaptrail_v1_EnvironmentSnapshot__Output | null);
  'host': (_snaptrail_v1_HostSnapshot__Output | null);
  'code': (_snaptrail_v1_CodeSnapshot__Output | null);
  'warnings': (_snaptrail_v1_CaptureWarning__Output)[];
  /**
   * sorted by path; digest "" for a declared file that was missing
   */
  'outputs': (_snaptrail_v1_OutputFile__Output)[];
  'events': (_snaptrail_v1_RunEventRef__Output)[];
  /**
   * runs beneath this one, newest first (at most 100)
   */
  'children': (string)[];
}
