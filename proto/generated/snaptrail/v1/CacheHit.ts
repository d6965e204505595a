// Original file: proto/snaptrail/v1/query.proto

import type { RunSummary as _snaptrail_v1_RunSummary, RunSummary__Output as _snaptrail_v1_RunSummary__Output } from '../../snaptrail/v1/RunSummary.js';
import type { OutputFile as _snaptrail_v1_OutputFile, OutputFile__Output as _snaptrail_v1_OutputFile__Output } from '../../snaptrail/v1/OutputFile.js';

export interface CacheHit {
  'run'?: (_snaptrail_v1_RunSummary | null);
  'outputs'?: (_snaptrail_v1_OutputFile)[];
}

export interface CacheHit__Output {
  'run': (_snaptrail_v1_RunSummary__Output | null);
  'outputs': (_snaptrail_v1_OutputFile__Output)[];
}
