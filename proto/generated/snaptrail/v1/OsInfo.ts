// Original file: proto/snaptrail/v1/snapshots.proto


export interface OsInfo {
  /**
   * os-release ID
   */
  'id'?: (string);
  /**
   * os-release VERSION_ID
   */
  'versionId'?: (string);
  'prettyName'?: (string);
  /**
   * "glibc 2.36"
   */
  'libc'?: (string);
}

export interface OsInfo__Output {
  /**
   * os-release ID
   */
  'id': (string);
  /**
   * os-release VERSION_ID
   */
  'versionId': (string);
  'prettyName': (string);
  /**
   * "glibc 2.36"
   */
  'libc': (string);
}
