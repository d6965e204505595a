// Original file: proto/snaptrail/v1/query.proto

import type { LeftOutChange as _snaptrail_v1_LeftOutChange, LeftOutChange__Output as _snaptrail_v1_LeftOutChange__Output } from '../../snaptrail/v1/LeftOutChange.js';
import type { FilePatch as _snaptrail_v1_FilePatch, FilePatch__Output as _snaptrail_v1_FilePatch__Output } from '../../snaptrail/v1/FilePatch.js';

export interface CodeDiff {
  'commitFrom'?: (string);
  'commitTo'?: (string);
  'branchFrom'?: (string);
  'branchTo'?: (string);
  'dirtyFrom'?: (boolean);
  'dirtyTo'?: (boolean);
  'added'?: (string)[];
  'removed'?: (string)[];
  'modified'?: (string)[];
  'leftOut'?: (_snaptrail_v1_LeftOutChange)[];
  'patches'?: (_snaptrail_v1_FilePatch)[];
  /**
   * why patches are missing, when they are
   */
  'note'?: (string);
  '_commitFrom'?: "commitFrom";
  '_commitTo'?: "commitTo";
  '_branchFrom'?: "branchFrom";
  '_branchTo'?: "branchTo";
  '_note'?: "note";
}

export interface CodeDiff__Output {
  'commitFrom'?: (string);
  'commitTo'?: (string);
  'branchFrom'?: (string);
  'branchTo'?: (string);
  'dirtyFrom': (boolean);
  'dirtyTo': (boolean);
  'added': (string)[];
  'removed': (string)[];
  'modified': (string)[];
  'leftOut': (_snaptrail_v1_LeftOutChange__Output)[];
  'patches': (_snaptrail_v1_FilePatch__Output)[];
  /**
   * why patches are missing, when they are
   */
  'note'?: (string);
  '_commitFrom'?: "commitFrom";
  '_commitTo'?: "commitTo";
  '_branchFrom'?: "branchFrom";
  '_branchTo'?: "branchTo";
  '_note'?: "note";
}
