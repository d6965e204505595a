// Original file: proto/snaptrail/v1/query.proto


export interface DiffRunsRequest {
  /**
   * a run id or a unique prefix of one
   */
  'a'?: (string);
  'b'?: (string);
}

export interface DiffRunsRequest__Output {
  /**
   * a run id or a unique prefix of one
   */
  'a': (string);
  'b': (string);
}
