// Original file: proto/snaptrail/v1/snapshots.proto

import type { IndexSettings as _snaptrail_v1_IndexSettings, IndexSettings__Output as _snaptrail_v1_IndexSettings__Output } from '../../snaptrail/v1/IndexSettings.js';

export interface PackageIndexes {
  'pip'?: (_snaptrail_v1_IndexSettings | null);
  'uv'?: (_snaptrail_v1_IndexSettings | null);
}

export interface PackageIndexes__Output {
  'pip': (_snaptrail_v1_IndexSettings__Output | null);
  'uv': (_snaptrail_v1_IndexSettings__Output | null);
}
