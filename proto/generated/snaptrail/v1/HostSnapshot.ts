// Original file: proto/snaptrail/v1/snapshots.proto

import type { Gpu as _snaptrail_v1_Gpu, Gpu__Output as _snaptrail_v1_Gpu__Output } from '../../snaptrail/v1/Gpu.js';
import type { Long } from '@grpc/proto-loader';

export interface HostSnapshot {
  'hostname'?: (string);
  'arch'?: (string);
  'kernel'?: (string);
  'cpuModel'?: (string);
  'cpuCount'?: (number);
  'memoryBytes'?: (number | string | Long);
  'gpus'?: (_snaptrail_v1_Gpu)[];
  'cudaDriverVersion'?: (string);
}

export interface HostSnapshot__Output {
  'hostname': (string);
  'arch': (string);
  'kernel': (string);
  'cpuModel': (string);
  'cpuCount': (number);
  'memoryBytes': (number);
  'gpus': (_snaptrail_v1_Gpu__Output)[];
  'cudaDriverVersion': (string);
}
