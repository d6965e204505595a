// Original file: proto/snaptrail/v1/query.proto

import type { RunSummary as _snaptrail_v1_RunSummary, RunSummary__Output as _snaptrail_v1_RunSummary__Output } from '../../snaptrail/v1/RunSummary.js';

export interface PackageRun {
  'run'?: (_snaptrail_v1_RunSummary | null);
  /**
   * the package's versions in the run's environment that match, sorted
   */
  'versions'?: (string)[];
}

export interface PackageRun__Output {
  'run': (_snaptrail_v1_RunSummary__Output | null);
  /**
   * the package's versions in the run's environment that match, sorted
   */
  'versions': (string)[];
}
