// Original file: proto/snaptrail/v1/query.proto


export interface ModuleDiff {
  'added'?: (string)[];
  'removed'?: (string)[];
}

export interface ModuleDiff__Output {
  'added': (string)[];
  'removed': (string)[];
}
