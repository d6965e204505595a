// Original file: proto/snaptrail/v1/snapshots.proto


export interface GitInfo {
  'commit'?: (string);
  'branch'?: (string);
  /**
   * credentials stripped
   */
  'remoteUrl'?: (string);
  'dirty'?: (boolean);
  /**
   * `git diff HEAD` of tracked changes, for restore
   */
  'patch'?: (string);
}

export interface GitInfo__Output {
  'commit': (string);
  'branch': (string);
  /**
   * credentials stripped
   */
  'remoteUrl': (string);
  'dirty': (boolean);
  /**
   * `git diff HEAD` of tracked changes, for restore
   */
  'patch': (string);
}
