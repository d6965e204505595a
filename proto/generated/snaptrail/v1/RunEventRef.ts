// Original file: proto/snaptrail/v1/query.proto

import type { Long } from '@grpc/proto-loader';

// Original file: proto/snaptrail/v1/query.proto

export const _snaptrail_v1_RunEventRef_Type = {
  TYPE_UNSPECIFIED: 'TYPE_UNSPECIFIED',
  RUN_STARTED: 'RUN_STARTED',
  SNAPSHOT_CAPTURED: 'SNAPSHOT_CAPTURED',
  RUN_FINISHED: 'RUN_FINISHED',
} as const;

export type _snaptrail_v1_RunEventRef_Type =
  | 'TYPE_UNSPECIFIED'
  | 0
  | 'RUN_STARTED'
  | 1
  | 'SNAPSHOT_CAPTURED'
  | 2
  | 'RUN_FINISHED'
  | 3

export type _snaptrail_v1_RunEventRef_Type__Output = typeof _snaptrail_v1_RunEventRef_Type[keyof typeof _snaptrail_v1_RunEventRef_Type]

export interface RunEventRef {
  'eventId'?: (string);
  'type'?: (_snaptrail_v1_RunEventRef_Type);
  'timeUnixMs'?: (number | string | Long);
}

export interface RunEventRef__Output {
  'eventId': (string);
  'type': (_snaptrail_v1_RunEventRef_Type__Output);
  'timeUnixMs': (number);
}
