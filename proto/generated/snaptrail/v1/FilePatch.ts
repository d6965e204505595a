// Original file: proto/snaptrail/v1/query.proto


export interface FilePatch {
  'path'?: (string);
  /**
   * unified diff text; empty for binary files or without an archive
   */
  'unified'?: (string);
  'binary'?: (boolean);
}

export interface FilePatch__Output {
  'path': (string);
  /**
   * unified diff text; empty for binary files or without an archive
   */
  'unified': (string);
  'binary': (boolean);
}
