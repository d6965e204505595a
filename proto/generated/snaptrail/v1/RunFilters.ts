// Original file: proto/snaptrail/v1/query.proto

import type { RunStatus as _snaptrail_v1_RunStatus, RunStatus__Output as _snaptrail_v1_RunStatus__Output } from '../../snaptrail/v1/RunStatus.js';
import type { _snaptrail_v1_OrchestratorContext_Kind, _snaptrail_v1_OrchestratorContext_Kind__Output } from '../../snaptrail/v1/OrchestratorContext.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The filters of the runs list and of a package search. Empty strings, zero numbers and
 * unspecified enums are "no filter", as an empty query parameter is over HTTP.
 */
export interface RunFilters {
  'pipeline'?: (string);
  'step'?: (string);
  'status'?: (_snaptrail_v1_RunStatus);
  /**
   * An exact version ("2.7.1") or a PEP 440 specifier (">=2,<3"); in ListRuns it needs `package`.
   */
  'version'?: (string);
  /**
   * only the runs beneath this run
   */
  'parent'?: (string);
  'orchestrator'?: (_snaptrail_v1_OrchestratorContext_Kind);
  /**
   * only runs whose environment snapshot has this digest
   */
  'environment'?: (string);
  /**
   * runs that sort at or after this time
   */
  'sinceUnixMs'?: (number | string | Long);
  /**
   * runs that sort before this time
   */
  'untilUnixMs'?: (number | string | Long);
  /**
   * next_cursor of the previous page, with the same filters
   */
  'cursor'?: (string);
  /**
   * how many to answer: 0 is the default (50), at most 1000
   */
  'limit'?: (number);
}

/**
 * The filters of the runs list and of a package search. Empty strings, zero numbers and
 * unspecified enums are "no filter", as an empty query parameter is over HTTP.
 */
export interface RunFilters__Output {
  'pipeline': (string);
  'step': (string);
  'status': (_snaptrail_v1_RunStatus__Output);
  /**
   * An exact version ("2.7.1") or a PEP 440 specifier (">=2,<3"); in ListRuns it needs `package`.
   */
  'version': (string);
  /**
   * only the runs beneath this run
   */
  'parent': (string);
  'orchestrator': (_snaptrail_v1_OrchestratorContext_Kind__Output);
  /**
   * only runs whose environment snapshot has this digest
   */
  'environment': (string);
  /**
   * runs that sort at or after this time
   */
  'sinceUnixMs': (number);
  /**
   * runs that sort before this time
   */
  'untilUnixMs': (number);
  /**
   * next_cursor of the previous page, with the same filters
   */
  'cursor': (string);
  /**
   * how many to answer: 0 is the default (50), at most 1000
   */
  'limit': (number);
}
