// Original file: proto/snaptrail/v1/query.proto


export interface EnvVarChange {
  'name'?: (string);
  'from'?: (string);
  'to'?: (string);
  'redacted'?: (boolean);
  '_from'?: "from";
  '_to'?: "to";
}

export interface EnvVarChange__Output {
  'name': (string);
  'from'?: (string);
  'to'?: (string);
  'redacted': (boolean);
  '_from'?: "from";
  '_to'?: "to";
}
