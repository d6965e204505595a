// Original file: proto/snaptrail/v1/query.proto

import type { RunSummary as _snaptrail_v1_RunSummary, RunSummary__Output as _snaptrail_v1_RunSummary__Output } from '../../snaptrail/v1/RunSummary.js';
import type { PackageDiff as _snaptrail_v1_PackageDiff, PackageDiff__Output as _snaptrail_v1_PackageDiff__Output } from '../../snaptrail/v1/PackageDiff.js';
import type { FieldChange as _snaptrail_v1_FieldChange, FieldChange__Output as _snaptrail_v1_FieldChange__Output } from '../../snaptrail/v1/FieldChange.js';
import type { CodeDiff as _snaptrail_v1_CodeDiff, CodeDiff__Output as _snaptrail_v1_CodeDiff__Output } from '../../snaptrail/v1/CodeDiff.js';
import type { EnvVarChange as _snaptrail_v1_EnvVarChange, EnvVarChange__Output as _snaptrail_v1_EnvVarChange__Output } from '../../snaptrail/v1/EnvVarChange.js';
import type { ModuleDiff as _snaptrail_v1_ModuleDiff, ModuleDiff__Output as _snaptrail_v1_ModuleDiff__Output } from '../../snaptrail/v1/ModuleDiff.js';

/**
 * Run ids, timestamps and exit status are not differences: they are in a and b.
 */
export interface RunDiff {
  'a'?: (_snaptrail_v1_RunSummary | null);
  'b'?: (_snaptrail_v1_RunSummary | null);
  'identical'?: (boolean);
  'packages'?: (_snaptrail_v1_PackageDiff | null);
  'interpreter'?: (_snaptrail_v1_FieldChange)[];
  'image'?: (_snaptrail_v1_FieldChange)[];
  'os'?: (_snaptrail_v1_FieldChange)[];
  'host'?: (_snaptrail_v1_FieldChange)[];
  /**
   * unset when neither run recorded code
   */
  'code'?: (_snaptrail_v1_CodeDiff | null);
  'config'?: (_snaptrail_v1_FieldChange)[];
  'env'?: (_snaptrail_v1_EnvVarChange)[];
  'modules'?: (_snaptrail_v1_ModuleDiff | null);
}

/**
 * Run ids, timestamps and exit status are not differences: they are in a and b.
 */
export interface RunDiff__Output {
  'a': (_snaptrail_v1_RunSummary__Output | null);
  'b': (_snaptrail_v1_RunSummary__Output | null);
  'identical': (boolean);
  'packages': (_snaptrail_v1_PackageDiff__Output | null);
  'interpreter': (_snaptrail_v1_FieldChange__Output)[];
  'image': (_snaptrail_v1_FieldChange__Output)[];
  'os': (_snaptrail_v1_FieldChange__Output)[];
  'host': (_snaptrail_v1_FieldChange__Output)[];
  /**
   * unset when neither run recorded code
   */
  'code': (_snaptrail_v1_CodeDiff__Output | null);
  'config': (_snaptrail_v1_FieldChange__Output)[];
  'env': (_snaptrail_v1_EnvVarChange__Output)[];
  'modules': (_snaptrail_v1_ModuleDiff__Output | null);
}
