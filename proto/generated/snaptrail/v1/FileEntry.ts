// Original file: proto/snaptrail/v1/snapshots.proto

import type { Long } from '@grpc/proto-loader';

export interface FileEntry {
  /**
   * relative to the work tree root, "/" separated
   */
  'path'?: (string);
  'sha256'?: (string);
  'size'?: (number | string | Long);
  /**
   * POSIX permission bits
   */
  'mode'?: (number);
}

export interface FileEntry__Output {
  /**
   * relative to the work tree root, "/" separated
   */
  'path': (string);
  'sha256': (string);
  'size': (number);
  /**
   * POSIX permission bits
   */
  'mode': (number);
}
