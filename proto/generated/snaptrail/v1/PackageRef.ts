// Original file: proto/snaptrail/v1/query.proto


export interface PackageRef {
  'name'?: (string);
  'version'?: (string);
}

export interface PackageRef__Output {
  'name': (string);
  'version': (string);
}
