// Original file: proto/snaptrail/v1/query.proto

import type { RunSummary as _snaptrail_v1_RunSummary, RunSummary__Output as _snaptrail_v1_RunSummary__Output } from '../../snaptrail/v1/RunSummary.js';
import type { Long } from '@grpc/proto-loader';

export interface OutputProducer {
  'run'?: (_snaptrail_v1_RunSummary | null);
  /**
   * the output's path as that run recorded it
   */
  'path'?: (string);
  'size'?: (number | string | Long);
}

export interface OutputProducer__Output {
  'run': (_snaptrail_v1_RunSummary__Output | null);
  /**
   * the output's path as that run recorded it
   */
  'path': (string);
  'size': (number);
}
