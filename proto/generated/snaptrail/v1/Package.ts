// Original file: proto/snaptrail/v1/snapshots.proto

import type { PackageSource as _snaptrail_v1_PackageSource, PackageSource__Output as _snaptrail_v1_PackageSource__Output } from '../../snaptrail/v1/PackageSource.js';

export interface Package {
  /**
   * PEP 503 normalised
   */
  'name'?: (string);
  'version'?: (string);
  /**
   * "pip", "uv", "conda", "" when unknown
   */
  'installer'?: (string);
  'source'?: (_snaptrail_v1_PackageSource | null);
  /**
   * a second copy on sys.path that does not win
   */
  'shadowed'?: (boolean);
}

export interface Package__Output {
  /**
   * PEP 503 normalised
   */
  'name': (string);
  'version': (string);
  /**
   * "pip", "uv", "conda", "" when unknown
   */
  'installer': (string);
  'source': (_snaptrail_v1_PackageSource__Output | null);
  /**
   * a second copy on sys.path that does not win
   */
  'shadowed': (boolean);
}
