// Original file: proto/snaptrail/v1/query.proto


export interface FieldChange {
  'field'?: (string);
  'from'?: (string);
  'to'?: (string);
  '_from'?: "from";
  '_to'?: "to";
}

export interface FieldChange__Output {
  'field': (string);
  'from'?: (string);
  'to'?: (string);
  '_from'?: "from";
  '_to'?: "to";
}
