// Original file: proto/snaptrail/v1/query.proto

import type { TimelineRun as _snaptrail_v1_TimelineRun, TimelineRun__Output as _snaptrail_v1_TimelineRun__Output } from '../../snaptrail/v1/TimelineRun.js';

export interface StepTimelinePage {
  /**
   * newest first
   */
  'runs'?: (_snaptrail_v1_TimelineRun)[];
  /**
   * "" on the last page
   */
  'nextCursor'?: (string);
}

export interface StepTimelinePage__Output {
  /**
   * newest first
   */
  'runs': (_snaptrail_v1_TimelineRun__Output)[];
  /**
   * "" on the last page
   */
  'nextCursor': (string);
}
