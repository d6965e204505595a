// Original file: proto/snaptrail/v1/query.proto


export interface GetRunRequest {
  /**
   * a run id, or a unique prefix of one
   */
  'run'?: (string);
}

export interface GetRunRequest__Output {
  /**
   * a run id, or a unique prefix of one
   */
  'run': (string);
}
