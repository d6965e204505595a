// Original file: proto/snaptrail/v1/query.proto


// Original file: proto/snaptrail/v1/query.proto

export const _snaptrail_v1_PackageChange_Direction = {
  DIRECTION_UNSPECIFIED: 'DIRECTION_UNSPECIFIED',
  UPGRADE: 'UPGRADE',
  DOWNGRADE: 'DOWNGRADE',
  /**
   * only the source (VCS commit, url) moved
   */
  SOURCE: 'SOURCE',
  /**
   * no PEP 440 order between the two versions
   */
  INCOMPARABLE: 'INCOMPARABLE',
} as const;

export type _snaptrail_v1_PackageChange_Direction =
  | 'DIRECTION_UNSPECIFIED'
  | 0
  | 'UPGRADE'
  | 1
  | 'DOWNGRADE'
  | 2
  /**
   * only the source (VCS commit, url) moved
   */
  | 'SOURCE'
  | 3
  /**
   * no PEP 440 order between the two versions
   */
  | 'INCOMPARABLE'
  | 4

export type _snaptrail_v1_PackageChange_Direction__Output = typeof _snaptrail_v1_PackageChange_Direction[keyof typeof _snaptrail_v1_PackageChange_Direction]

export interface PackageChange {
  'name'?: (string);
  'fromVersion'?: (string);
  'toVersion'?: (string);
  'direction'?: (_snaptrail_v1_PackageChange_Direction);
  /**
   * the first release segment changed (1.10.13 -> 2.7.1)
   */
  'major'?: (boolean);
  'sourceFrom'?: (string);
  'sourceTo'?: (string);
  '_sourceFrom'?: "sourceFrom";
  '_sourceTo'?: "sourceTo";
}

export interface PackageChange__Output {
  'name': (string);
  'fromVersion': (string);
  'toVersion': (string);
  'direction': (_snaptrail_v1_PackageChange_Direction__Output);
  /**
   * the first release segment changed (1.10.13 -> 2.7.1)
   */
  'major': (boolean);
  'sourceFrom'?: (string);
  'sourceTo'?: (string);
  '_sourceFrom'?: "sourceFrom";
  '_sourceTo'?: "sourceTo";
}
