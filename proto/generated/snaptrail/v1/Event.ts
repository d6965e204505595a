// Original file: proto/snaptrail/v1/events.proto

import type { RunStarted as _snaptrail_v1_RunStarted, RunStarted__Output as _snaptrail_v1_RunStarted__Output } from '../../snaptrail/v1/RunStarted.js';
import type { SnapshotCaptured as _snaptrail_v1_SnapshotCaptured, SnapshotCaptured__Output as _snaptrail_v1_SnapshotCaptured__Output } from '../../snaptrail/v1/SnapshotCaptured.js';
import type { RunFinished as _snaptrail_v1_RunFinished, RunFinished__Output as _snaptrail_v1_RunFinished__Output } from '../../snaptrail/v1/RunFinished.js';
import type { Long } from '@grpc/proto-loader';

export interface Event {
  /**
   * unique; the collector de-duplicates on it
   */
  'eventId'?: (string);
  'runId'?: (string);
  'timeUnixMs'?: (number | string | Long);
  'runStarted'?: (_snaptrail_v1_RunStarted | null);
  'snapshotCaptured'?: (_snaptrail_v1_SnapshotCaptured | null);
  'runFinished'?: (_snaptrail_v1_RunFinished | null);
  'payload'?: "runStarted"|"snapshotCaptured"|"runFinished";
}

export interface Event__Output {
  /**
   * unique; the collector de-duplicates on it
   */
  'eventId': (string);
  'runId': (string);
  'timeUnixMs': (number);
  'runStarted'?: (_snaptrail_v1_RunStarted__Output | null);
  'snapshotCaptured'?: (_snaptrail_v1_SnapshotCaptured__Output | null);
  'runFinished'?: (_snaptrail_v1_RunFinished__Output | null);
  'payload'?: "runStarted"|"snapshotCaptured"|"runFinished";
}
