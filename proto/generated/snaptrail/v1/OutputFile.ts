// Original file: proto/snaptrail/v1/events.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A file the run produced (`wrap --output`), so `snaptrail which FILE` finds the run by hash.
 */
export interface OutputFile {
  /**
   * as declared, relative to the run's working directory when it was
   */
  'path'?: (string);
  /**
   * "sha256:..." of the content
   */
  'digest'?: (string);
  'size'?: (number | string | Long);
  /**
   * POSIX permission bits
   */
  'mode'?: (number);
  /**
   * the bytes were uploaded to the blob store (wrap --cache)
   */
  'stored'?: (boolean);
}

/**
 * A file the run produced (`wrap --output`), so `snaptrail which FILE` finds the run by hash.
 */
export interface OutputFile__Output {
  /**
   * as declared, relative to the run's working directory when it was
   */
  'path': (string);
  /**
   * "sha256:..." of the content
   */
  'digest': (string);
  'size': (number);
  /**
   * POSIX permission bits
   */
  'mode': (number);
  /**
   * the bytes were uploaded to the blob store (wrap --cache)
   */
  'stored': (boolean);
}
