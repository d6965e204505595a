// Original file: proto/snaptrail/v1/query.proto

import type { _snaptrail_v1_OrchestratorContext_Kind, _snaptrail_v1_OrchestratorContext_Kind__Output } from '../../snaptrail/v1/OrchestratorContext.js';
import type { RunStatus as _snaptrail_v1_RunStatus, RunStatus__Output as _snaptrail_v1_RunStatus__Output } from '../../snaptrail/v1/RunStatus.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One run as the list shows it.
 */
export interface RunSummary {
  'runId'?: (string);
  'orchestrator'?: (_snaptrail_v1_OrchestratorContext_Kind);
  'pipeline'?: (string);
  'pipelineRun'?: (string);
  'step'?: (string);
  'attempt'?: (number);
  'status'?: (_snaptrail_v1_RunStatus);
  'startedUnixMs'?: (number | string | Long);
  'finishedUnixMs'?: (number | string | Long);
  'durationMs'?: (number | string | Long);
  'exitCode'?: (number);
  'signal'?: (string);
  'hostname'?: (string);
  'environmentDigest'?: (string);
  'hostDigest'?: (string);
  'codeDigest'?: (string);
  'gitCommit'?: (string);
  /**
   * the run this one resubmitted
   */
  'rollbackOf'?: (string);
  'cacheKey'?: (string);
  /**
   * the run whose outputs this one restored (a cache hit)
   */
  'cachedFrom'?: (string);
  'parentRunId'?: (string);
  '_startedUnixMs'?: "startedUnixMs";
  '_finishedUnixMs'?: "finishedUnixMs";
  '_durationMs'?: "durationMs";
  '_exitCode'?: "exitCode";
  '_signal'?: "signal";
  '_environmentDigest'?: "environmentDigest";
  '_hostDigest'?: "hostDigest";
  '_codeDigest'?: "codeDigest";
  '_gitCommit'?: "gitCommit";
  '_rollbackOf'?: "rollbackOf";
  '_cacheKey'?: "cacheKey";
  '_cachedFrom'?: "cachedFrom";
  '_parentRunId'?: "parentRunId";
}

/**
 * One run as the list shows it.
 */
export interface RunSummary__Output {
  'runId': (string);
  'orchestrator': (_snaptrail_v1_OrchestratorContext_Kind__Output);
  'pipeline': (string);
  'pipelineRun': (string);
  'step': (string);
  'attempt': (number);
  'status': (_snaptrail_v1_RunStatus__Output);
  'startedUnixMs'?: (number);
  'finishedUnixMs'?: (number);
  'durationMs'?: (number);
  'exitCode'?: (number);
  'signal'?: (string);
  'hostname': (string);
  'environmentDigest'?: (string);
  'hostDigest'?: (string);
  'codeDigest'?: (string);
  'gitCommit'?: (string);
  /**
   * the run this one resubmitted
   */
  'rollbackOf'?: (string);
  'cacheKey'?: (string);
  /**
   * the run whose outputs this one restored (a cache hit)
   */
  'cachedFrom'?: (string);
  'parentRunId'?: (string);
  '_startedUnixMs'?: "startedUnixMs";
  '_finishedUnixMs'?: "finishedUnixMs";
  '_durationMs'?: "durationMs";
  '_exitCode'?: "exitCode";
  '_signal'?: "signal";
  '_environmentDigest'?: "environmentDigest";
  '_hostDigest'?: "hostDigest";
  '_codeDigest'?: "codeDigest";
  '_gitCommit'?: "gitCommit";
  '_rollbackOf'?: "rollbackOf";
  '_cacheKey'?: "cacheKey";
  '_cachedFrom'?: "cachedFrom";
  '_parentRunId'?: "parentRunId";
}
