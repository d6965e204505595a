// Original file: proto/snaptrail/v1/query.proto


export interface StepTimelineRequest {
  /**
   * required
   */
  'pipeline'?: (string);
  /**
   * required
   */
  'step'?: (string);
  'cursor'?: (string);
  /**
   * 0 is the default (50), at most 1000
   */
  'limit'?: (number);
}

export interface StepTimelineRequest__Output {
  /**
   * required
   */
  'pipeline': (string);
  /**
   * required
   */
  'step': (string);
  'cursor': (string);
  /**
   * 0 is the default (50), at most 1000
   */
  'limit': (number);
}
