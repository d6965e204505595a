// Original file: proto/snaptrail/v1/events.proto


export interface CaptureWarning {
  /**
   * "python", "code", "host", "env", ...
   */
  'source'?: (string);
  'message'?: (string);
}

export interface CaptureWarning__Output {
  /**
   * "python", "code", "host", "env", ...
   */
  'source': (string);
  'message': (string);
}
