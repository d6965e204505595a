// Original file: proto/snaptrail/v1/snapshots.proto

import type { Long } from '@grpc/proto-loader';

export interface Gpu {
  'index'?: (number);
  'model'?: (string);
  'uuid'?: (string);
  'memoryMib'?: (number | string | Long);
  'driverVersion'?: (string);
}

export interface Gpu__Output {
  'index': (number);
  'model': (string);
  'uuid': (string);
  'memoryMib': (number);
  'driverVersion': (string);
}
