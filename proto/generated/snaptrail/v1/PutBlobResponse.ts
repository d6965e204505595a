// Original file: proto/snaptrail/v1/collector.proto

import type { Long } from '@grpc/proto-loader';

export interface PutBlobResponse {
  'digest'?: (string);
  'bytes'?: (number | string | Long);
  'alreadyPresent'?: (boolean);
}

export interface PutBlobResponse__Output {
  'digest': (string);
  'bytes': (number);
  'alreadyPresent': (boolean);
}
