// Original file: proto/snaptrail/v1/query.proto


// Original file: proto/snaptrail/v1/query.proto

export const _snaptrail_v1_LeftOutChange_State = {
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  RECORDED: 'RECORDED',
  LEFT_OUT: 'LEFT_OUT',
  ABSENT: 'ABSENT',
} as const;

export type _snaptrail_v1_LeftOutChange_State =
  | 'STATE_UNSPECIFIED'
  | 0
  | 'RECORDED'
  | 1
  | 'LEFT_OUT'
  | 2
  | 'ABSENT'
  | 3

export type _snaptrail_v1_LeftOutChange_State__Output = typeof _snaptrail_v1_LeftOutChange_State[keyof typeof _snaptrail_v1_LeftOutChange_State]

/**
 * A file left out of a code snapshot (secret pattern) on at least one side: never compared.
 */
export interface LeftOutChange {
  'path'?: (string);
  'fromState'?: (_snaptrail_v1_LeftOutChange_State);
  'toState'?: (_snaptrail_v1_LeftOutChange_State);
  'reason'?: (string);
}

/**
 * A file left out of a code snapshot (secret pattern) on at least one side: never compared.
 */
export interface LeftOutChange__Output {
  'path': (string);
  'fromState': (_snaptrail_v1_LeftOutChange_State__Output);
  'toState': (_snaptrail_v1_LeftOutChange_State__Output);
  'reason': (string);
}
