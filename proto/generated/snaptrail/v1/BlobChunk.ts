// Original file: proto/snaptrail/v1/collector.proto

import type { Long } from '@grpc/proto-loader';

export interface BlobChunk {
  /**
   * "sha256:..."; first chunk only
   */
  'digest'?: (string);
  /**
   * first chunk only
   */
  'totalBytes'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
}

export interface BlobChunk__Output {
  /**
   * "sha256:..."; first chunk only
   */
  'digest': (string);
  /**
   * first chunk only
   */
  'totalBytes': (number);
  'data': (Buffer);
}
