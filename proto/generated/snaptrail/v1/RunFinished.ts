// Original file: proto/snaptrail/v1/events.proto

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
}
