// Original file: proto/snaptrail/v1/query.proto

import type { RunFilters as _snaptrail_v1_RunFilters, RunFilters__Output as _snaptrail_v1_RunFilters__Output } from '../../snaptrail/v1/RunFilters.js';

export interface ListRunsRequest {
  'filters'?: (_snaptrail_v1_RunFilters | null);
  /**
   * a package name, any spelling (PEP 503)
   */
  'package'?: (string);
}

export interface ListRunsRequest__Output {
  'filters': (_snaptrail_v1_RunFilters__Output | null);
  /**
   * a package name, any spelling (PEP 503)
   */
  'package': (string);
}
