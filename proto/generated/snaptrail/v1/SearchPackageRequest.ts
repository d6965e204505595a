// Original file: proto/snaptrail/v1/query.proto

import type { RunFilters as _snaptrail_v1_RunFilters, RunFilters__Output as _snaptrail_v1_RunFilters__Output } from '../../snaptrail/v1/RunFilters.js';

export interface SearchPackageRequest {
  /**
   * a package name, any spelling (PEP 503 normalised: Pydantic_Core is pydantic-core)
   */
  'name'?: (string);
  'filters'?: (_snaptrail_v1_RunFilters | null);
}

export interface SearchPackageRequest__Output {
  /**
   * a package name, any spelling (PEP 503 normalised: Pydantic_Core is pydantic-core)
   */
  'name': (string);
  'filters': (_snaptrail_v1_RunFilters__Output | null);
}
