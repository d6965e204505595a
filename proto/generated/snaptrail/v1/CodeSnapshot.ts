// Original file: proto/snaptrail/v1/snapshots.proto

import type { GitInfo as _snaptrail_v1_GitInfo, GitInfo__Output as _snaptrail_v1_GitInfo__Output } from '../../snaptrail/v1/GitInfo.js';
import type { FileEntry as _snaptrail_v1_FileEntry, FileEntry__Output as _snaptrail_v1_FileEntry__Output } from '../../snaptrail/v1/FileEntry.js';
import type { LeftOutFile as _snaptrail_v1_LeftOutFile, LeftOutFile__Output as _snaptrail_v1_LeftOutFile__Output } from '../../snaptrail/v1/LeftOutFile.js';
import type { Long } from '@grpc/proto-loader';

export interface CodeSnapshot {
  /**
   * volatile: where the work tree was on this host
   */
  'root'?: (string);
  'git'?: (_snaptrail_v1_GitInfo | null);
  /**
   * sorted by path
   */
  'files'?: (_snaptrail_v1_FileEntry)[];
  /**
   * "sha256:..." of the tar archive in the blob store
   */
  'archiveDigest'?: (string);
  'archiveBytes'?: (number | string | Long);
  /**
   * sorted by path; never also in files
   */
  'leftOut'?: (_snaptrail_v1_LeftOutFile)[];
}

export interface CodeSnapshot__Output {
  /**
   * volatile: where the work tree was on this host
   */
  'root': (string);
  'git': (_snaptrail_v1_GitInfo__Output | null);
  /**
   * sorted by path
   */
  'files': (_snaptrail_v1_FileEntry__Output)[];
  /**
   * "sha256:..." of the tar archive in the blob store
   */
  'archiveDigest': (string);
  'archiveBytes': (number);
  /**
   * sorted by path; never also in files
   */
  'leftOut': (_snaptrail_v1_LeftOutFile__Output)[];
}
