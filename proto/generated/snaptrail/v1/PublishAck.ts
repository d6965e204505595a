// Original file: proto/snaptrail/v1/collector.proto


// Original file: proto/snaptrail/v1/collector.proto

export const _snaptrail_v1_PublishAck_Outcome = {
  OUTCOME_UNSPECIFIED: 'OUTCOME_UNSPECIFIED',
  STORED: 'STORED',
  /**
   * already stored under this event_id: nothing changed
   */
  DUPLICATE: 'DUPLICATE',
  /**
   * invalid; resending the same event will not help
   */
  REJECTED: 'REJECTED',
} as const;

export type _snaptrail_v1_PublishAck_Outcome =
  | 'OUTCOME_UNSPECIFIED'
  | 0
  | 'STORED'
  | 1
  /**
   * already stored under this event_id: nothing changed
   */
  | 'DUPLICATE'
  | 2
  /**
   * invalid; resending the same event will not help
   */
  | 'REJECTED'
  | 3

export type _snaptrail_v1_PublishAck_Outcome__Output = typeof _snaptrail_v1_PublishAck_Outcome[keyof typeof _snaptrail_v1_PublishAck_Outcome]

export interface PublishAck {
  'eventId'?: (string);
  'outcome'?: (_snaptrail_v1_PublishAck_Outcome);
  'error'?: (string);
}

export interface PublishAck__Output {
  'eventId': (string);
  'outcome': (_snaptrail_v1_PublishAck_Outcome__Output);
  'error': (string);
}
