// Original file: proto/snaptrail/v1/collector.proto


export interface HasDigestsRequest {
  'digests'?: (string)[];
}

export interface HasDigestsRequest__Output {
  'digests': (string)[];
}
