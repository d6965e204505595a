// Original file: proto/snaptrail/v1/collector.proto


export interface HasDigestsResponse {
  'present'?: (string)[];
}

export interface HasDigestsResponse__Output {
  'present': (string)[];
}
