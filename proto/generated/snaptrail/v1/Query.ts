// Original file: proto/snaptrail/v1/query.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BlobChunk as _snaptrail_v1_BlobChunk, BlobChunk__Output as _snaptrail_v1_BlobChunk__Output } from '../../snaptrail/v1/BlobChunk.js';
import type { CacheHit as _snaptrail_v1_CacheHit, CacheHit__Output as _snaptrail_v1_CacheHit__Output } from '../../snaptrail/v1/CacheHit.js';
import type { DiffRunsRequest as _snaptrail_v1_DiffRunsRequest, DiffRunsRequest__Output as _snaptrail_v1_DiffRunsRequest__Output } from '../../snaptrail/v1/DiffRunsRequest.js';
import type { FindOutputProducersRequest as _snaptrail_v1_FindOutputProducersRequest, FindOutputProducersRequest__Output as _snaptrail_v1_FindOutputProducersRequest__Output } from '../../snaptrail/v1/FindOutputProducersRequest.js';
import type { GetBlobRequest as _snaptrail_v1_GetBlobRequest, GetBlobRequest__Output as _snaptrail_v1_GetBlobRequest__Output } from '../../snaptrail/v1/GetBlobRequest.js';
import type { GetCacheHitRequest as _snaptrail_v1_GetCacheHitRequest, GetCacheHitRequest__Output as _snaptrail_v1_GetCacheHitRequest__Output } from '../../snaptrail/v1/GetCacheHitRequest.js';
import type { GetRunRequest as _snaptrail_v1_GetRunRequest, GetRunRequest__Output as _snaptrail_v1_GetRunRequest__Output } from '../../snaptrail/v1/GetRunRequest.js';
import type { GetSnapshotRequest as _snaptrail_v1_GetSnapshotRequest, GetSnapshotRequest__Output as _snaptrail_v1_GetSnapshotRequest__Output } from '../../snaptrail/v1/GetSnapshotRequest.js';
import type { ListRunsRequest as _snaptrail_v1_ListRunsRequest, ListRunsRequest__Output as _snaptrail_v1_ListRunsRequest__Output } from '../../snaptrail/v1/ListRunsRequest.js';
import type { OutputProducers as _snaptrail_v1_OutputProducers, OutputProducers__Output as _snaptrail_v1_OutputProducers__Output } from '../../snaptrail/v1/OutputProducers.js';
import type { PackageRunPage as _snaptrail_v1_PackageRunPage, PackageRunPage__Output as _snaptrail_v1_PackageRunPage__Output } from '../../snaptrail/v1/PackageRunPage.js';
import type { RunDetail as _snaptrail_v1_RunDetail, RunDetail__Output as _snaptrail_v1_RunDetail__Output } from '../../snaptrail/v1/RunDetail.js';
import type { RunDiff as _snaptrail_v1_RunDiff, RunDiff__Output as _snaptrail_v1_RunDiff__Output } from '../../snaptrail/v1/RunDiff.js';
import type { RunPage as _snaptrail_v1_RunPage, RunPage__Output as _snaptrail_v1_RunPage__Output } from '../../snaptrail/v1/RunPage.js';
import type { SearchPackageRequest as _snaptrail_v1_SearchPackageRequest, SearchPackageRequest__Output as _snaptrail_v1_SearchPackageRequest__Output } from '../../snaptrail/v1/SearchPackageRequest.js';
import type { Snapshot as _snaptrail_v1_Snapshot, Snapshot__Output as _snaptrail_v1_Snapshot__Output } from '../../snaptrail/v1/Snapshot.js';
import type { StepTimelinePage as _snaptrail_v1_StepTimelinePage, StepTimelinePage__Output as _snaptrail_v1_StepTimelinePage__Output } from '../../snaptrail/v1/StepTimelinePage.js';
import type { StepTimelineRequest as _snaptrail_v1_StepTimelineRequest, StepTimelineRequest__Output as _snaptrail_v1_StepTimelineRequest__Output } from '../../snaptrail/v1/StepTimelineRequest.js';

/**
 * The collector's queries for programs: the same queries as the HTTP JSON API under /api/v1,
 * answered by the same functions (collector/query/queries/), with the same validation and the
 * same limits. Every method needs a token whose role may query (reader, operator, admin) when
 * the collector runs with --auth tokens: send `authorization: Bearer <token>` as metadata.
 * 
 * Errors: INVALID_ARGUMENT names the request field at fault ("invalid limit: must be at most
 * 1000"), NOT_FOUND for no such run, snapshot or cache entry, FAILED_PRECONDITION for a run
 * prefix that matches several runs (the message lists them), UNAVAILABLE when the store cannot
 * answer now, UNAUTHENTICATED and PERMISSION_DENIED for tokens.
 * 
 * Absent is told apart from empty: a field that is null in the HTTP API is `optional` here (or a
 * message field left unset). Snapshots are the typed messages of snapshots.proto, as the agent
 * sends them; nothing is JSON in bytes.
 */
export interface QueryClient extends grpc.Client {
  /**
   * What changed from run a to run b: GET /api/v1/diff.
   */
  DiffRuns(argument: _snaptrail_v1_DiffRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunDiff__Output>): grpc.ClientUnaryCall;
  DiffRuns(argument: _snaptrail_v1_DiffRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_RunDiff__Output>): grpc.ClientUnaryCall;
  DiffRuns(argument: _snaptrail_v1_DiffRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunDiff__Output>): grpc.ClientUnaryCall;
  DiffRuns(argument: _snaptrail_v1_DiffRunsRequest, callback: grpc.requestCallback<_snaptrail_v1_RunDiff__Output>): grpc.ClientUnaryCall;
  /**
   * What changed from run a to run b: GET /api/v1/diff.
   */
  diffRuns(argument: _snaptrail_v1_DiffRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunDiff__Output>): grpc.ClientUnaryCall;
  diffRuns(argument: _snaptrail_v1_DiffRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_RunDiff__Output>): grpc.ClientUnaryCall;
  diffRuns(argument: _snaptrail_v1_DiffRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunDiff__Output>): grpc.ClientUnaryCall;
  diffRuns(argument: _snaptrail_v1_DiffRunsRequest, callback: grpc.requestCallback<_snaptrail_v1_RunDiff__Output>): grpc.ClientUnaryCall;
  
  /**
   * The runs that produced a file with this content, newest first: GET /api/v1/outputs/{digest}.
   */
  FindOutputProducers(argument: _snaptrail_v1_FindOutputProducersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_OutputProducers__Output>): grpc.ClientUnaryCall;
  FindOutputProducers(argument: _snaptrail_v1_FindOutputProducersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_OutputProducers__Output>): grpc.ClientUnaryCall;
  FindOutputProducers(argument: _snaptrail_v1_FindOutputProducersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_OutputProducers__Output>): grpc.ClientUnaryCall;
  FindOutputProducers(argument: _snaptrail_v1_FindOutputProducersRequest, callback: grpc.requestCallback<_snaptrail_v1_OutputProducers__Output>): grpc.ClientUnaryCall;
  /**
   * The runs that produced a file with this content, newest first: GET /api/v1/outputs/{digest}.
   */
  findOutputProducers(argument: _snaptrail_v1_FindOutputProducersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_OutputProducers__Output>): grpc.ClientUnaryCall;
  findOutputProducers(argument: _snaptrail_v1_FindOutputProducersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_OutputProducers__Output>): grpc.ClientUnaryCall;
  findOutputProducers(argument: _snaptrail_v1_FindOutputProducersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_OutputProducers__Output>): grpc.ClientUnaryCall;
  findOutputProducers(argument: _snaptrail_v1_FindOutputProducersRequest, callback: grpc.requestCallback<_snaptrail_v1_OutputProducers__Output>): grpc.ClientUnaryCall;
  
  /**
   * A blob's bytes (a code archive, a run's output) in chunks, as PutBlob takes them: the first
   * chunk names the digest and total_bytes. GET /api/v1/blobs/{digest}.
   */
  GetBlob(argument: _snaptrail_v1_GetBlobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_snaptrail_v1_BlobChunk__Output>;
  GetBlob(argument: _snaptrail_v1_GetBlobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_snaptrail_v1_BlobChunk__Output>;
  /**
   * A blob's bytes (a code archive, a run's output) in chunks, as PutBlob takes them: the first
   * chunk names the digest and total_bytes. GET /api/v1/blobs/{digest}.
   */
  getBlob(argument: _snaptrail_v1_GetBlobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_snaptrail_v1_BlobChunk__Output>;
  getBlob(argument: _snaptrail_v1_GetBlobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_snaptrail_v1_BlobChunk__Output>;
  
  /**
   * The newest succeeded run under a cache key whose outputs are all in the blob store:
   * GET /api/v1/cache/{key}.
   */
  GetCacheHit(argument: _snaptrail_v1_GetCacheHitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_CacheHit__Output>): grpc.ClientUnaryCall;
  GetCacheHit(argument: _snaptrail_v1_GetCacheHitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_CacheHit__Output>): grpc.ClientUnaryCall;
  GetCacheHit(argument: _snaptrail_v1_GetCacheHitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_CacheHit__Output>): grpc.ClientUnaryCall;
  GetCacheHit(argument: _snaptrail_v1_GetCacheHitRequest, callback: grpc.requestCallback<_snaptrail_v1_CacheHit__Output>): grpc.ClientUnaryCall;
  /**
   * The newest succeeded run under a cache key whose outputs are all in the blob store:
   * GET /api/v1/cache/{key}.
   */
  getCacheHit(argument: _snaptrail_v1_GetCacheHitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_CacheHit__Output>): grpc.ClientUnaryCall;
  getCacheHit(argument: _snaptrail_v1_GetCacheHitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_CacheHit__Output>): grpc.ClientUnaryCall;
  getCacheHit(argument: _snaptrail_v1_GetCacheHitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_CacheHit__Output>): grpc.ClientUnaryCall;
  getCacheHit(argument: _snaptrail_v1_GetCacheHitRequest, callback: grpc.requestCallback<_snaptrail_v1_CacheHit__Output>): grpc.ClientUnaryCall;
  
  /**
   * One run with its snapshots, by id or a unique prefix of one: GET /api/v1/runs/{run}.
   */
  GetRun(argument: _snaptrail_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunDetail__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _snaptrail_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_RunDetail__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _snaptrail_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunDetail__Output>): grpc.ClientUnaryCall;
  GetRun(argument: _snaptrail_v1_GetRunRequest, callback: grpc.requestCallback<_snaptrail_v1_RunDetail__Output>): grpc.ClientUnaryCall;
  /**
   * One run with its snapshots, by id or a unique prefix of one: GET /api/v1/runs/{run}.
   */
  getRun(argument: _snaptrail_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunDetail__Output>): grpc.ClientUnaryCall;
  getRun(argument: _snaptrail_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_RunDetail__Output>): grpc.ClientUnaryCall;
  getRun(argument: _snaptrail_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunDetail__Output>): grpc.ClientUnaryCall;
  getRun(argument: _snaptrail_v1_GetRunRequest, callback: grpc.requestCallback<_snaptrail_v1_RunDetail__Output>): grpc.ClientUnaryCall;
  
  /**
   * A snapshot body by digest: GET /api/v1/snapshots/{digest}.
   */
  GetSnapshot(argument: _snaptrail_v1_GetSnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_Snapshot__Output>): grpc.ClientUnaryCall;
  GetSnapshot(argument: _snaptrail_v1_GetSnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_Snapshot__Output>): grpc.ClientUnaryCall;
  GetSnapshot(argument: _snaptrail_v1_GetSnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_Snapshot__Output>): grpc.ClientUnaryCall;
  GetSnapshot(argument: _snaptrail_v1_GetSnapshotRequest, callback: grpc.requestCallback<_snaptrail_v1_Snapshot__Output>): grpc.ClientUnaryCall;
  /**
   * A snapshot body by digest: GET /api/v1/snapshots/{digest}.
   */
  getSnapshot(argument: _snaptrail_v1_GetSnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_Snapshot__Output>): grpc.ClientUnaryCall;
  getSnapshot(argument: _snaptrail_v1_GetSnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_Snapshot__Output>): grpc.ClientUnaryCall;
  getSnapshot(argument: _snaptrail_v1_GetSnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_Snapshot__Output>): grpc.ClientUnaryCall;
  getSnapshot(argument: _snaptrail_v1_GetSnapshotRequest, callback: grpc.requestCallback<_snaptrail_v1_Snapshot__Output>): grpc.ClientUnaryCall;
  
  /**
   * Runs, newest first (sort time, then run id, both descending), filtered, in pages:
   * GET /api/v1/runs.
   */
  ListRuns(argument: _snaptrail_v1_ListRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunPage__Output>): grpc.ClientUnaryCall;
  ListRuns(argument: _snaptrail_v1_ListRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_RunPage__Output>): grpc.ClientUnaryCall;
  ListRuns(argument: _snaptrail_v1_ListRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunPage__Output>): grpc.ClientUnaryCall;
  ListRuns(argument: _snaptrail_v1_ListRunsRequest, callback: grpc.requestCallback<_snaptrail_v1_RunPage__Output>): grpc.ClientUnaryCall;
  /**
   * Runs, newest first (sort time, then run id, both descending), filtered, in pages:
   * GET /api/v1/runs.
   */
  listRuns(argument: _snaptrail_v1_ListRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunPage__Output>): grpc.ClientUnaryCall;
  listRuns(argument: _snaptrail_v1_ListRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_RunPage__Output>): grpc.ClientUnaryCall;
  listRuns(argument: _snaptrail_v1_ListRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_RunPage__Output>): grpc.ClientUnaryCall;
  listRuns(argument: _snaptrail_v1_ListRunsRequest, callback: grpc.requestCallback<_snaptrail_v1_RunPage__Output>): grpc.ClientUnaryCall;
  
  /**
   * The runs that ran with a package, each with the version(s) it had:
   * GET /api/v1/packages/{name}/runs.
   */
  SearchPackage(argument: _snaptrail_v1_SearchPackageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_PackageRunPage__Output>): grpc.ClientUnaryCall;
  SearchPackage(argument: _snaptrail_v1_SearchPackageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_PackageRunPage__Output>): grpc.ClientUnaryCall;
  SearchPackage(argument: _snaptrail_v1_SearchPackageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_PackageRunPage__Output>): grpc.ClientUnaryCall;
  SearchPackage(argument: _snaptrail_v1_SearchPackageRequest, callback: grpc.requestCallback<_snaptrail_v1_PackageRunPage__Output>): grpc.ClientUnaryCall;
  /**
   * The runs that ran with a package, each with the version(s) it had:
   * GET /api/v1/packages/{name}/runs.
   */
  searchPackage(argument: _snaptrail_v1_SearchPackageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_PackageRunPage__Output>): grpc.ClientUnaryCall;
  searchPackage(argument: _snaptrail_v1_SearchPackageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_PackageRunPage__Output>): grpc.ClientUnaryCall;
  searchPackage(argument: _snaptrail_v1_SearchPackageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_PackageRunPage__Output>): grpc.ClientUnaryCall;
  searchPackage(argument: _snaptrail_v1_SearchPackageRequest, callback: grpc.requestCallback<_snaptrail_v1_PackageRunPage__Output>): grpc.ClientUnaryCall;
  
  /**
   * One step's runs over time, each marked with what changed from the step's run before it:
   * GET /api/v1/timeline.
   */
  StepTimeline(argument: _snaptrail_v1_StepTimelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_StepTimelinePage__Output>): grpc.ClientUnaryCall;
  StepTimeline(argument: _snaptrail_v1_StepTimelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_StepTimelinePage__Output>): grpc.ClientUnaryCall;
  StepTimeline(argument: _snaptrail_v1_StepTimelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_StepTimelinePage__Output>): grpc.ClientUnaryCall;
  StepTimeline(argument: _snaptrail_v1_StepTimelineRequest, callback: grpc.requestCallback<_snaptrail_v1_StepTimelinePage__Output>): grpc.ClientUnaryCall;
  /**
   * One step's runs over time, each marked with what changed from the step's run before it:
   * GET /api/v1/timeline.
   */
  stepTimeline(argument: _snaptrail_v1_StepTimelineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_StepTimelinePage__Output>): grpc.ClientUnaryCall;
  stepTimeline(argument: _snaptrail_v1_StepTimelineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_StepTimelinePage__Output>): grpc.ClientUnaryCall;
  stepTimeline(argument: _snaptrail_v1_StepTimelineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_StepTimelinePage__Output>): grpc.ClientUnaryCall;
  stepTimeline(argument: _snaptrail_v1_StepTimelineRequest, callback: grpc.requestCallback<_snaptrail_v1_StepTimelinePage__Output>): grpc.ClientUnaryCall;
  
}

/**
 * The collector's queries for programs: the same queries as the HTTP JSON API under /api/v1,
 * answered by the same functions (collector/query/queries/), with the same validation and the
 * same limits. Every method needs a token whose role may query (reader, operator, admin) when
 * the collector runs with --auth tokens: send `authorization: Bearer <token>` as metadata.
 * 
 * Errors: INVALID_ARGUMENT names the request field at fault ("invalid limit: must be at most
 * 1000"), NOT_FOUND for no such run, snapshot or cache entry, FAILED_PRECONDITION for a run
 * prefix that matches several runs (the message lists them), UNAVAILABLE when the store cannot
 * answer now, UNAUTHENTICATED and PERMISSION_DENIED for tokens.
 * 
 * Absent is told apart from empty: a field that is null in the HTTP API is `optional` here (or a
 * message field left unset). Snapshots are the typed messages of snapshots.proto, as the agent
 * sends them; nothing is JSON in bytes.
 */
export interface QueryHandlers extends grpc.UntypedServiceImplementation {
  /**
   * What changed from run a to run b: GET /api/v1/diff.
   */
  DiffRuns: grpc.handleUnaryCall<_snaptrail_v1_DiffRunsRequest__Output, _snaptrail_v1_RunDiff>;
  
  /**
   * The runs that produced a file with this content, newest first: GET /api/v1/outputs/{digest}.
   */
  FindOutputProducers: grpc.handleUnaryCall<_snaptrail_v1_FindOutputProducersRequest__Output, _snaptrail_v1_OutputProducers>;
  
  /**
   * A blob's bytes (a code archive, a run's output) in chunks, as PutBlob takes them: the first
   * chunk names the digest and total_bytes. GET /api/v1/blobs/{digest}.
   */
  GetBlob: grpc.handleServerStreamingCall<_snaptrail_v1_GetBlobRequest__Output, _snaptrail_v1_BlobChunk>;
  
  /**
   * The newest succeeded run under a cache key whose outputs are all in the blob store:
   * GET /api/v1/cache/{key}.
   */
  GetCacheHit: grpc.handleUnaryCall<_snaptrail_v1_GetCacheHitRequest__Output, _snaptrail_v1_CacheHit>;
  
  /**
   * One run with its snapshots, by id or a unique prefix of one: GET /api/v1/runs/{run}.
   */
  GetRun: grpc.handleUnaryCall<_snaptrail_v1_GetRunRequest__Output, _snaptrail_v1_RunDetail>;
  
  /**
   * A snapshot body by digest: GET /api/v1/snapshots/{digest}.
   */
  GetSnapshot: grpc.handleUnaryCall<_snaptrail_v1_GetSnapshotRequest__Output, _snaptrail_v1_Snapshot>;
  
  /**
   * Runs, newest first (sort time, then run id, both descending), filtered, in pages:
   * GET /api/v1/runs.
   */
  ListRuns: grpc.handleUnaryCall<_snaptrail_v1_ListRunsRequest__Output, _snaptrail_v1_RunPage>;
  
  /**
   * The runs that ran with a package, each with the version(s) it had:
   * GET /api/v1/packages/{name}/runs.
   */
  SearchPackage: grpc.handleUnaryCall<_snaptrail_v1_SearchPackageRequest__Output, _snaptrail_v1_PackageRunPage>;
  
  /**
   * One step's runs over time, each marked with what changed from the step's run before it:
   * GET /api/v1/timeline.
   */
  StepTimeline: grpc.handleUnaryCall<_snaptrail_v1_StepTimelineRequest__Output, _snaptrail_v1_StepTimelinePage>;
  
}

export interface QueryDefinition extends grpc.ServiceDefinition {
  DiffRuns: MethodDefinition<_snaptrail_v1_DiffRunsRequest, _snaptrail_v1_RunDiff, _snaptrail_v1_DiffRunsRequest__Output, _snaptrail_v1_RunDiff__Output>
  FindOutputProducers: MethodDefinition<_snaptrail_v1_FindOutputProducersRequest, _snaptrail_v1_OutputProducers, _snaptrail_v1_FindOutputProducersRequest__Output, _snaptrail_v1_OutputProducers__Output>
  GetBlob: MethodDefinition<_snaptrail_v1_GetBlobRequest, _snaptrail_v1_BlobChunk, _snaptrail_v1_GetBlobRequest__Output, _snaptrail_v1_BlobChunk__Output>
  GetCacheHit: MethodDefinition<_snaptrail_v1_GetCacheHitRequest, _snaptrail_v1_CacheHit, _snaptrail_v1_GetCacheHitRequest__Output, _snaptrail_v1_CacheHit__Output>
  GetRun: MethodDefinition<_snaptrail_v1_GetRunRequest, _snaptrail_v1_RunDetail, _snaptrail_v1_GetRunRequest__Output, _snaptrail_v1_RunDetail__Output>
  GetSnapshot: MethodDefinition<_snaptrail_v1_GetSnapshotRequest, _snaptrail_v1_Snapshot, _snaptrail_v1_GetSnapshotRequest__Output, _snaptrail_v1_Snapshot__Output>
  ListRuns: MethodDefinition<_snaptrail_v1_ListRunsRequest, _snaptrail_v1_RunPage, _snaptrail_v1_ListRunsRequest__Output, _snaptrail_v1_RunPage__Output>
  SearchPackage: MethodDefinition<_snaptrail_v1_SearchPackageRequest, _snaptrail_v1_PackageRunPage, _snaptrail_v1_SearchPackageRequest__Output, _snaptrail_v1_PackageRunPage__Output>
  StepTimeline: MethodDefinition<_snaptrail_v1_StepTimelineRequest, _snaptrail_v1_StepTimelinePage, _snaptrail_v1_StepTimelineRequest__Output, _snaptrail_v1_StepTimelinePage__Output>
}
