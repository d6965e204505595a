// Original file: proto/snaptrail/v1/query.proto


export interface GetCacheHitRequest {
  /**
   * sha256:<64 lowercase hex>
   */
  'key'?: (string);
}

export interface GetCacheHitRequest__Output {
  /**
   * sha256:<64 lowercase hex>
   */
  'key': (string);
}
