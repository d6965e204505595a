// Original file: proto/snaptrail/v1/query.proto


export interface GetBlobRequest {
  /**
   * sha256:<64 lowercase hex>
   */
  'digest'?: (string);
}

export interface GetBlobRequest__Output {
  /**
   * sha256:<64 lowercase hex>
   */
  'digest': (string);
}
