// Original file: proto/snaptrail/v1/query.proto

import type { PackageRun as _snaptrail_v1_PackageRun, PackageRun__Output as _snaptrail_v1_PackageRun__Output } from '../../snaptrail/v1/PackageRun.js';

export interface PackageRunPage {
  /**
   * the PEP 503 normalised name
   */
  'package'?: (string);
  'runs'?: (_snaptrail_v1_PackageRun)[];
  /**
   * "" on the last page
   */
  'nextCursor'?: (string);
}

export interface PackageRunPage__Output {
  /**
   * the PEP 503 normalised name
   */
  'package': (string);
  'runs': (_snaptrail_v1_PackageRun__Output)[];
  /**
   * "" on the last page
   */
  'nextCursor': (string);
}
