// Original file: proto/snaptrail/v1/query.proto

import type { PackageRef as _snaptrail_v1_PackageRef, PackageRef__Output as _snaptrail_v1_PackageRef__Output } from '../../snaptrail/v1/PackageRef.js';
import type { PackageChange as _snaptrail_v1_PackageChange, PackageChange__Output as _snaptrail_v1_PackageChange__Output } from '../../snaptrail/v1/PackageChange.js';

export interface PackageDiff {
  'added'?: (_snaptrail_v1_PackageRef)[];
  'removed'?: (_snaptrail_v1_PackageRef)[];
  'changed'?: (_snaptrail_v1_PackageChange)[];
  'unchanged'?: (number);
}

export interface PackageDiff__Output {
  'added': (_snaptrail_v1_PackageRef__Output)[];
  'removed': (_snaptrail_v1_PackageRef__Output)[];
  'changed': (_snaptrail_v1_PackageChange__Output)[];
  'unchanged': (number);
}
