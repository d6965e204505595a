// Original file: proto/snaptrail/v1/query.proto

import type { RunSummary as _snaptrail_v1_RunSummary, RunSummary__Output as _snaptrail_v1_RunSummary__Output } from '../../snaptrail/v1/RunSummary.js';

export interface RunPage {
  'runs'?: (_snaptrail_v1_RunSummary)[];
  /**
   * pass back as `cursor` with the same filters; "" on the last page
   */
  'nextCursor'?: (string);
}

export interface RunPage__Output {
  'runs': (_snaptrail_v1_RunSummary__Output)[];
  /**
   * pass back as `cursor` with the same filters; "" on the last page
   */
  'nextCursor': (string);
}
