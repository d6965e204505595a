// Original file: proto/snaptrail/v1/query.proto

import type { EnvironmentSnapshot as _snaptrail_v1_EnvironmentSnapshot, EnvironmentSnapshot__Output as _snaptrail_v1_EnvironmentSnapshot__Output } from '../../snaptrail/v1/EnvironmentSnapshot.js';
import type { HostSnapshot as _snaptrail_v1_HostSnapshot, HostSnapshot__Output as _snaptrail_v1_HostSnapshot__Output } from '../../snaptrail/v1/HostSnapshot.js';
import type { CodeSnapshot as _snaptrail_v1_CodeSnapshot, CodeSnapshot__Output as _snaptrail_v1_CodeSnapshot__Output } from '../../snaptrail/v1/CodeSnapshot.js';

export interface Snapshot {
  'digest'?: (string);
  'environment'?: (_snaptrail_v1_EnvironmentSnapshot | null);
  'host'?: (_snaptrail_v1_HostSnapshot | null);
  'code'?: (_snaptrail_v1_CodeSnapshot | null);
  'body'?: "environment"|"host"|"code";
}

export interface Snapshot__Output {
  'digest': (string);
  'environment'?: (_snaptrail_v1_EnvironmentSnapshot__Output | null);
  'host'?: (_snaptrail_v1_HostSnapshot__Output | null);
  'code'?: (_snaptrail_v1_CodeSnapshot__Output | null);
  'body'?: "environment"|"host"|"code";
}
