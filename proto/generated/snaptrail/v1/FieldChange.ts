// Original file: proto/snaptrail/v1/query.proto


export interface FieldChange {
  'field'?: (string);
  /**
   * not `from`: a keyword in Python, where the generated field could only be read with getattr
   */
  'fromValue'?: (string);
  'toValue'?: (string);
  '_fromValue'?: "fromValue";
  '_toValue'?: "toValue";
}

export interface FieldChange__Output {
  'field': (string);
  /**
   * not `from`: a keyword in Python, where the generated field could only be read with getattr
   */
  'fromValue'?: (string);
  'toValue'?: (string);
  '_fromValue'?: "fromValue";
  '_toValue'?: "toValue";
}
