// Original file: proto/snaptrail/v1/query.proto


export interface GetSnapshotRequest {
  /**
   * sha256:<64 lowercase hex>
   */
  'digest'?: (string);
}

export interface GetSnapshotRequest__Output {
  /**
   * sha256:<64 lowercase hex>
   */
  'digest': (string);
}
