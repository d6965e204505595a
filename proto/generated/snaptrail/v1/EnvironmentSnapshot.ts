// Original file: proto/snaptrail/v1/snapshots.proto

import type { Interpreter as _snaptrail_v1_Interpreter, Interpreter__Output as _snaptrail_v1_Interpreter__Output } from '../../snaptrail/v1/Interpreter.js';
import type { Package as _snaptrail_v1_Package, Package__Output as _snaptrail_v1_Package__Output } from '../../snaptrail/v1/Package.js';
import type { ContainerImage as _snaptrail_v1_ContainerImage, ContainerImage__Output as _snaptrail_v1_ContainerImage__Output } from '../../snaptrail/v1/ContainerImage.js';
import type { OsInfo as _snaptrail_v1_OsInfo, OsInfo__Output as _snaptrail_v1_OsInfo__Output } from '../../snaptrail/v1/OsInfo.js';
import type { EnvVar as _snaptrail_v1_EnvVar, EnvVar__Output as _snaptrail_v1_EnvVar__Output } from '../../snaptrail/v1/EnvVar.js';
import type { PackageIndexes as _snaptrail_v1_PackageIndexes, PackageIndexes__Output as _snaptrail_v1_PackageIndexes__Output } from '../../snaptrail/v1/PackageIndexes.js';

export interface EnvironmentSnapshot {
  'interpreter'?: (_snaptrail_v1_Interpreter | null);
  /**
   * sorted by name
   */
  'packages'?: (_snaptrail_v1_Package)[];
  'image'?: (_snaptrail_v1_ContainerImage | null);
  'os'?: (_snaptrail_v1_OsInfo | null);
  /**
   * allow-listed, secrets redacted, sorted by name
   */
  'env'?: (_snaptrail_v1_EnvVar)[];
  /**
   * HPC modules (Lmod / Environment Modules)
   */
  'modules'?: (string)[];
  /**
   * the index configuration the packages were installed with
   */
  'indexes'?: (_snaptrail_v1_PackageIndexes | null);
}

export interface EnvironmentSnapshot__Output {
  'interpreter': (_snaptrail_v1_Interpreter__Output | null);
  /**
   * sorted by name
   */
  'packages': (_snaptrail_v1_Package__Output)[];
  'image': (_snaptrail_v1_ContainerImage__Output | null);
  'os': (_snaptrail_v1_OsInfo__Output | null);
  /**
   * allow-listed, secrets redacted, sorted by name
   */
  'env': (_snaptrail_v1_EnvVar__Output)[];
  /**
   * HPC modules (Lmod / Environment Modules)
   */
  'modules': (string)[];
  /**
   * the index configuration the packages were installed with
   */
  'indexes': (_snaptrail_v1_PackageIndexes__Output | null);
}
