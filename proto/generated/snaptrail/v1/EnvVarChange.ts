// Original file: proto/snaptrail/v1/query.proto


export interface EnvVarChange {
  'name'?: (string);
  'fromValue'?: (string);
  'toValue'?: (string);
  'redacted'?: (boolean);
  '_fromValue'?: "fromValue";
  '_toValue'?: "toValue";
}

export interface EnvVarChange__Output {
  'name': (string);
  'fromValue'?: (string);
  'toValue'?: (string);
  'redacted': (boolean);
  '_fromValue'?: "fromValue";
  '_toValue'?: "toValue";
}
