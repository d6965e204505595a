// Original file: proto/snaptrail/v1/snapshots.proto


export interface EnvVar {
  'name'?: (string);
  /**
   * for a redacted variable: "<redacted sha256:...>" so a change still shows
   */
  'value'?: (string);
  'redacted'?: (boolean);
}

export interface EnvVar__Output {
  'name': (string);
  /**
   * for a redacted variable: "<redacted sha256:...>" so a change still shows
   */
  'value': (string);
  'redacted': (boolean);
}
