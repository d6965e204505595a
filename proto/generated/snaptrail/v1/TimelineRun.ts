// Original file: proto/snaptrail/v1/query.proto

import type { RunSummary as _snaptrail_v1_RunSummary, RunSummary__Output as _snaptrail_v1_RunSummary__Output } from '../../snaptrail/v1/RunSummary.js';

/**
 * One run of the step and what moved since the step's run before it (older, maybe on the next page).
 */
export interface TimelineRun {
  'run'?: (_snaptrail_v1_RunSummary | null);
  'environmentChanged'?: (boolean);
  'codeChanged'?: (boolean);
}

/**
 * One run of the step and what moved since the step's run before it (older, maybe on the next page).
 */
export interface TimelineRun__Output {
  'run': (_snaptrail_v1_RunSummary__Output | null);
  'environmentChanged': (boolean);
  'codeChanged': (boolean);
}
