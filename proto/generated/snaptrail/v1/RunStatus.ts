// Original file: proto/snaptrail/v1/query.proto

export const RunStatus = {
  /**
   * in a request: any status
   */
  RUN_STATUS_UNSPECIFIED: 'RUN_STATUS_UNSPECIFIED',
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
} as const;

export type RunStatus =
  /**
   * in a request: any status
   */
  | 'RUN_STATUS_UNSPECIFIED'
  | 0
  | 'RUNNING'
  | 1
  | 'SUCCEEDED'
  | 2
  | 'FAILED'
  | 3

export type RunStatus__Output = typeof RunStatus[keyof typeof RunStatus]
