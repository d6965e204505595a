// Original file: proto/snaptrail/v1/events.proto

import type { EnvironmentSnapshot as _snaptrail_v1_EnvironmentSnapshot, EnvironmentSnapshot__Output as _snaptrail_v1_EnvironmentSnapshot__Output } from '../../snaptrail/v1/EnvironmentSnapshot.js';
import type { HostSnapshot as _snaptrail_v1_HostSnapshot, HostSnapshot__Output as _snaptrail_v1_HostSnapshot__Output } from '../../snaptrail/v1/HostSnapshot.js';
import type { CodeSnapshot as _snaptrail_v1_CodeSnapshot, CodeSnapshot__Output as _snaptrail_v1_CodeSnapshot__Output } from '../../snaptrail/v1/CodeSnapshot.js';
import type { CaptureWarning as _snaptrail_v1_CaptureWarning, CaptureWarning__Output as _snaptrail_v1_CaptureWarning__Output } from '../../snaptrail/v1/CaptureWarning.js';

/**
 * A snapshot body is present only when the collector did not already hold its digest.
 */
export interface SnapshotCaptured {
  'environmentDigest'?: (string);
  'environment'?: (_snaptrail_v1_EnvironmentSnapshot | null);
  'hostDigest'?: (string);
  'host'?: (_snaptrail_v1_HostSnapshot | null);
  'codeDigest'?: (string);
  'code'?: (_snaptrail_v1_CodeSnapshot | null);
  'warnings'?: (_snaptrail_v1_CaptureWarning)[];
  'captureMs'?: (number);
}

/**
 * A snapshot body is present only when the collector did not already hold its digest.
 */
export interface SnapshotCaptured__Output {
  'environmentDigest': (string);
  'environment': (_snaptrail_v1_EnvironmentSnapshot__Output | null);
  'hostDigest': (string);
  'host': (_snaptrail_v1_HostSnapshot__Output | null);
  'codeDigest': (string);
  'code': (_snaptrail_v1_CodeSnapshot__Output | null);
  'warnings': (_snaptrail_v1_CaptureWarning__Output)[];
  'captureMs': (number);
}
