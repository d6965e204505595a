// Original file: proto/snaptrail/v1/query.proto


export interface FindOutputProducersRequest {
  /**
   * sha256:<64 lowercase hex> of the file's content
   */
  'digest'?: (string);
  /**
   * 0 is the default (20), at most 1000
   */
  'limit'?: (number);
}

export interface FindOutputProducersRequest__Output {
  /**
   * sha256:<64 lowercase hex> of the file's content
   */
  'digest': (string);
  /**
   * 0 is the default (20), at most 1000
   */
  'limit': (number);
}
