// Original file: proto/snaptrail/v1/events.proto

import type { OutputFile as _snaptrail_v1_OutputFile, OutputFile__Output as _snaptrail_v1_OutputFile__Output } from '../../snaptrail/v1/OutputFile.js';
import type { Long } from '@grpc/proto-loader';

export interface RunFinished {
  /**
   * -1 when the command died by a signal or never started
   */
  'exitCode'?: (number);
  /**
   * "SIGTERM" when it died by one
   */
  'signal'?: (string);
  'durationMs'?: (number | string | Long);
  /**
   * why the command could not be started, when it could not
   */
  'error'?: (string);
  /**
   * sorted by path
   */
  'outputs'?: (_snaptrail_v1_OutputFile)[];
}

export interface RunFinished__Output {
  /**
   * -1 when the command died by a signal or never started
   */
  'exitCode': (number);
  /**
   * "SIGTERM" when it died by one
   */
  'signal': (string);
  'durationMs': (number);
  /**
   * why the command could not be started, when it could not
   */
  'error': (string);
  /**
   * sorted by path
   */
  'outputs': (_snaptrail_v1_OutputFile__Output)[];
}
