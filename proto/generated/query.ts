import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BlobChunk as _snaptrail_v1_BlobChunk, BlobChunk__Output as _snaptrail_v1_BlobChunk__Output } from './snaptrail/v1/BlobChunk.js';
import type { CacheHit as _snaptrail_v1_CacheHit, CacheHit__Output as _snaptrail_v1_CacheHit__Output } from './snaptrail/v1/CacheHit.js';
import type { CaptureWarning as _snaptrail_v1_CaptureWarning, CaptureWarning__Output as _snaptrail_v1_CaptureWarning__Output } from './snaptrail/v1/CaptureWarning.js';
import type { CodeDiff as _snaptrail_v1_CodeDiff, CodeDiff__Output as _snaptrail_v1_CodeDiff__Output } from './snaptrail/v1/CodeDiff.js';
import type { CodeSnapshot as _snaptrail_v1_CodeSnapshot, CodeSnapshot__Output as _snaptrail_v1_CodeSnapshot__Output } from './snaptrail/v1/CodeSnapshot.js';
import type { CollectorClient as _snaptrail_v1_CollectorClient, CollectorDefinition as _snaptrail_v1_CollectorDefinition } from './snaptrail/v1/Collector.js';
import type { ContainerImage as _snaptrail_v1_ContainerImage, ContainerImage__Output as _snaptrail_v1_ContainerImage__Output } from './snaptrail/v1/ContainerImage.js';
import type { DiffRunsRequest as _snaptrail_v1_DiffRunsRequest, DiffRunsRequest__Output as _snaptrail_v1_DiffRunsRequest__Output } from './snaptrail/v1/DiffRunsRequest.js';
import type { EnvVar as _snaptrail_v1_EnvVar, EnvVar__Output as _snaptrail_v1_EnvVar__Output } from './snaptrail/v1/EnvVar.js';
import type { EnvVarChange as _snaptrail_v1_EnvVarChange, EnvVarChange__Output as _snaptrail_v1_EnvVarChange__Output } from './snaptrail/v1/EnvVarChange.js';
import type { EnvironmentSnapshot as _snaptrail_v1_EnvironmentSnapshot, EnvironmentSnapshot__Output as _snaptrail_v1_EnvironmentSnapshot__Output } from './snaptrail/v1/EnvironmentSnapshot.js';
import type { Event as _snaptrail_v1_Event, Event__Output as _snaptrail_v1_Event__Output } from './snaptrail/v1/Event.js';
import type { FieldChange as _snaptrail_v1_FieldChange, FieldChange__Output as _snaptrail_v1_FieldChange__Output } from './snaptrail/v1/FieldChange.js';
import type { FileEntry as _snaptrail_v1_FileEntry, FileEntry__Output as _snaptrail_v1_FileEntry__Output } from './snaptrail/v1/FileEntry.js';
import type { FilePatch as _snaptrail_v1_FilePatch, FilePatch__Output as _snaptrail_v1_FilePatch__Output } from './snaptrail/v1/FilePatch.js';
import type { FindOutputProducersRequest as _snaptrail_v1_FindOutputProducersRequest, FindOutputProducersRequest__Output as _snaptrail_v1_FindOutputProducersRequest__Output } from './snaptrail/v1/FindOutputProducersRequest.js';
import type { GetBlobRequest as _snaptrail_v1_GetBlobRequest, GetBlobRequest__Output as _snaptrail_v1_GetBlobRequest__Output } from './snaptrail/v1/GetBlobRequest.js';
import type { GetCacheHitRequest as _snaptrail_v1_GetCacheHitRequest, GetCacheHitRequest__Output as _snaptrail_v1_GetCacheHitRequest__Output } from './snaptrail/v1/GetCacheHitRequest.js';
import type { GetRunRequest as _snaptrail_v1_GetRunRequest, GetRunRequest__Output as _snaptrail_v1_GetRunRequest__Output } from './snaptrail/v1/GetRunRequest.js';
import type { GetSnapshotRequest as _snaptrail_v1_GetSnapshotRequest, GetSnapshotRequest__Output as _snaptrail_v1_GetSnapshotRequest__Output } from './snaptrail/v1/GetSnapshotRequest.js';
import type { GitInfo as _snaptrail_v1_GitInfo, GitInfo__Output as _snaptrail_v1_GitInfo__Output } from './snaptrail/v1/GitInfo.js';
import type { Gpu as _snaptrail_v1_Gpu, Gpu__Output as _snaptrail_v1_Gpu__Output } from './snaptrail/v1/Gpu.js';
import type { HasDigestsRequest as _snaptrail_v1_HasDigestsRequest, HasDigestsRequest__Output as _snaptrail_v1_HasDigestsRequest__Output } from './snaptrail/v1/HasDigestsRequest.js';
import type { HasDigestsResponse as _snaptrail_v1_HasDigestsResponse, HasDigestsResponse__Output as _snaptrail_v1_HasDigestsResponse__Output } from './snaptrail/v1/HasDigestsResponse.js';
import type { HostSnapshot as _snaptrail_v1_HostSnapshot, HostSnapshot__Output as _snaptrail_v1_HostSnapshot__Output } from './snaptrail/v1/HostSnapshot.js';
import type { IndexSettings as _snaptrail_v1_IndexSettings, IndexSettings__Output as _snaptrail_v1_IndexSettings__Output } from './snaptrail/v1/IndexSettings.js';
import type { Interpreter as _snaptrail_v1_Interpreter, Interpreter__Output as _snaptrail_v1_Interpreter__Output } from './snaptrail/v1/Interpreter.js';
import type { LeftOutChange as _snaptrail_v1_LeftOutChange, LeftOutChange__Output as _snaptrail_v1_LeftOutChange__Output } from './snaptrail/v1/LeftOutChange.js';
import type { LeftOutFile as _snaptrail_v1_LeftOutFile, LeftOutFile__Output as _snaptrail_v1_LeftOutFile__Output } from './snaptrail/v1/LeftOutFile.js';
import type { ListRunsRequest as _snaptrail_v1_ListRunsRequest, ListRunsRequest__Output as _snaptrail_v1_ListRunsRequest__Output } from './snaptrail/v1/ListRunsRequest.js';
import type { ModuleDiff as _snaptrail_v1_ModuleDiff, ModuleDiff__Output as _snaptrail_v1_ModuleDiff__Output } from './snaptrail/v1/ModuleDiff.js';
import type { OrchestratorContext as _snaptrail_v1_OrchestratorContext, OrchestratorContext__Output as _snaptrail_v1_OrchestratorContext__Output } from './snaptrail/v1/OrchestratorContext.js';
import type { OsInfo as _snaptrail_v1_OsInfo, OsInfo__Output as _snaptrail_v1_OsInfo__Output } from './snaptrail/v1/OsInfo.js';
import type { OutputFile as _snaptrail_v1_OutputFile, OutputFile__Output as _snaptrail_v1_OutputFile__Output } from './snaptrail/v1/OutputFile.js';
import type { OutputProducer as _snaptrail_v1_OutputProducer, OutputProducer__Output as _snaptrail_v1_OutputProducer__Output } from './snaptrail/v1/OutputProducer.js';
import type { OutputProducers as _snaptrail_v1_OutputProducers, OutputProducers__Output as _snaptrail_v1_OutputProducers__Output } from './snaptrail/v1/OutputProducers.js';
import type { Package as _snaptrail_v1_Package, Package__Output as _snaptrail_v1_Package__Output } from './snaptrail/v1/Package.js';
import type { PackageChange as _snaptrail_v1_PackageChange, PackageChange__Output as _snaptrail_v1_PackageChange__Output } from './snaptrail/v1/PackageChange.js';
import type { PackageDiff as _snaptrail_v1_PackageDiff, PackageDiff__Output as _snaptrail_v1_PackageDiff__Output } from './snaptrail/v1/PackageDiff.js';
import type { PackageIndexes as _snaptrail_v1_PackageIndexes, PackageIndexes__Output as _snaptrail_v1_PackageIndexes__Output } from './snaptrail/v1/PackageIndexes.js';
import type { PackageRef as _snaptrail_v1_PackageRef, PackageRef__Output as _snaptrail_v1_PackageRef__Output } from './snaptrail/v1/PackageRef.js';
import type { PackageRun as _snaptrail_v1_PackageRun, PackageRun__Output as _snaptrail_v1_PackageRun__Output } from './snaptrail/v1/PackageRun.js';
import type { PackageRunPage as _snaptrail_v1_PackageRunPage, PackageRunPage__Output as _snaptrail_v1_PackageRunPage__Output } from './snaptrail/v1/PackageRunPage.js';
import type { PackageSource as _snaptrail_v1_PackageSource, PackageSource__Output as _snaptrail_v1_PackageSource__Output } from './snaptrail/v1/PackageSource.js';
import type { PublishAck as _snaptrail_v1_PublishAck, PublishAck__Output as _snaptrail_v1_PublishAck__Output } from './snaptrail/v1/PublishAck.js';
import type { PublishRequest as _snaptrail_v1_PublishRequest, PublishRequest__Output as _snaptrail_v1_PublishRequest__Output } from './snaptrail/v1/PublishRequest.js';
import type { PutBlobResponse as _snaptrail_v1_PutBlobResponse, PutBlobResponse__Output as _snaptrail_v1_PutBlobResponse__Output } from './snaptrail/v1/PutBlobResponse.js';
import type { QueryClient as _snaptrail_v1_QueryClient, QueryDefinition as _snaptrail_v1_QueryDefinition } from './snaptrail/v1/Query.js';
import type { RunConfig as _snaptrail_v1_RunConfig, RunConfig__Output as _snaptrail_v1_RunConfig__Output } from './snaptrail/v1/RunConfig.js';
import type { RunDetail as _snaptrail_v1_RunDetail, RunDetail__Output as _snaptrail_v1_RunDetail__Output } from './snaptrail/v1/RunDetail.js';
import type { RunDiff as _snaptrail_v1_RunDiff, RunDiff__Output as _snaptrail_v1_RunDiff__Output } from './snaptrail/v1/RunDiff.js';
import type { RunEventRef as _snaptrail_v1_RunEventRef, RunEventRef__Output as _snaptrail_v1_RunEventRef__Output } from './snaptrail/v1/RunEventRef.js';
import type { RunFilters as _snaptrail_v1_RunFilters, RunFilters__Output as _snaptrail_v1_RunFilters__Output } from './snaptrail/v1/RunFilters.js';
import type { RunFinished as _snaptrail_v1_RunFinished, RunFinished__Output as _snaptrail_v1_RunFinished__Output } from './snaptrail/v1/RunFinished.js';
import type { RunPage as _snaptrail_v1_RunPage, RunPage__Output as _snaptrail_v1_RunPage__Output } from './snaptrail/v1/RunPage.js';
import type { RunStarted as _snaptrail_v1_RunStarted, RunStarted__Output as _snaptrail_v1_RunStarted__Output } from './snaptrail/v1/RunStarted.js';
import type { RunSummary as _snaptrail_v1_RunSummary, RunSummary__Output as _snaptrail_v1_RunSummary__Output } from './snaptrail/v1/RunSummary.js';
import type { SearchPackageRequest as _snaptrail_v1_SearchPackageRequest, SearchPackageRequest__Output as _snaptrail_v1_SearchPackageRequest__Output } from './snaptrail/v1/SearchPackageRequest.js';
import type { Snapshot as _snaptrail_v1_Snapshot, Snapshot__Output as _snaptrail_v1_Snapshot__Output } from './snaptrail/v1/Snapshot.js';
import type { SnapshotCaptured as _snaptrail_v1_SnapshotCaptured, SnapshotCaptured__Output as _snaptrail_v1_SnapshotCaptured__Output } from './snaptrail/v1/SnapshotCaptured.js';
import type { StepTimelinePage as _snaptrail_v1_StepTimelinePage, StepTimelinePage__Output as _snaptrail_v1_StepTimelinePage__Output } from './snaptrail/v1/StepTimelinePage.js';
import type { StepTimelineRequest as _snaptrail_v1_StepTimelineRequest, StepTimelineRequest__Output as _snaptrail_v1_StepTimelineRequest__Output } from './snaptrail/v1/StepTimelineRequest.js';
import type { TimelineRun as _snaptrail_v1_TimelineRun, TimelineRun__Output as _snaptrail_v1_TimelineRun__Output } from './snaptrail/v1/TimelineRun.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  snaptrail: {
    v1: {
      BlobChunk: MessageTypeDefinition<_snaptrail_v1_BlobChunk, _snaptrail_v1_BlobChunk__Output>
      CacheHit: MessageTypeDefinition<_snaptrail_v1_CacheHit, _snaptrail_v1_CacheHit__Output>
      CaptureWarning: MessageTypeDefinition<_snaptrail_v1_CaptureWarning, _snaptrail_v1_CaptureWarning__Output>
      CodeDiff: MessageTypeDefinition<_snaptrail_v1_CodeDiff, _snaptrail_v1_CodeDiff__Output>
      CodeSnapshot: MessageTypeDefinition<_snaptrail_v1_CodeSnapshot, _snaptrail_v1_CodeSnapshot__Output>
      Collector: SubtypeConstructor<typeof grpc.Client, _snaptrail_v1_CollectorClient> & { service: _snaptrail_v1_CollectorDefinition }
      ContainerImage: MessageTypeDefinition<_snaptrail_v1_ContainerImage, _snaptrail_v1_ContainerImage__Output>
      DiffRunsRequest: MessageTypeDefinition<_snaptrail_v1_DiffRunsRequest, _snaptrail_v1_DiffRunsRequest__Output>
      EnvVar: MessageTypeDefinition<_snaptrail_v1_EnvVar, _snaptrail_v1_EnvVar__Output>
      EnvVarChange: MessageTypeDefinition<_snaptrail_v1_EnvVarChange, _snaptrail_v1_EnvVarChange__Output>
      EnvironmentSnapshot: MessageTypeDefinition<_snaptrail_v1_EnvironmentSnapshot, _snaptrail_v1_EnvironmentSnapshot__Output>
      Event: MessageTypeDefinition<_snaptrail_v1_Event, _snaptrail_v1_Event__Output>
      FieldChange: MessageTypeDefinition<_snaptrail_v1_FieldChange, _snaptrail_v1_FieldChange__Output>
      FileEntry: MessageTypeDefinition<_snaptrail_v1_FileEntry, _snaptrail_v1_FileEntry__Output>
      FilePatch: MessageTypeDefinition<_snaptrail_v1_FilePatch, _snaptrail_v1_FilePatch__Output>
      FindOutputProducersRequest: MessageTypeDefinition<_snaptrail_v1_FindOutputProducersRequest, _snaptrail_v1_FindOutputProducersRequest__Output>
      GetBlobRequest: MessageTypeDefinition<_snaptrail_v1_GetBlobRequest, _snaptrail_v1_GetBlobRequest__Output>
      GetCacheHitRequest: MessageTypeDefinition<_snaptrail_v1_GetCacheHitRequest, _snaptrail_v1_GetCacheHitRequest__Output>
      GetRunRequest: MessageTypeDefinition<_snaptrail_v1_GetRunRequest, _snaptrail_v1_GetRunRequest__Output>
      GetSnapshotRequest: MessageTypeDefinition<_snaptrail_v1_GetSnapshotRequest, _snaptrail_v1_GetSnapshotRequest__Output>
      GitInfo: MessageTypeDefinition<_snaptrail_v1_GitInfo, _snaptrail_v1_GitInfo__Output>
      Gpu: MessageTypeDefinition<_snaptrail_v1_Gpu, _snaptrail_v1_Gpu__Output>
      HasDigestsRequest: MessageTypeDefinition<_snaptrail_v1_HasDigestsRequest, _snaptrail_v1_HasDigestsRequest__Output>
      HasDigestsResponse: MessageTypeDefinition<_snaptrail_v1_HasDigestsResponse, _snaptrail_v1_HasDigestsResponse__Output>
      HostSnapshot: MessageTypeDefinition<_snaptrail_v1_HostSnapshot, _snaptrail_v1_HostSnapshot__Output>
      IndexSettings: MessageTypeDefinition<_snaptrail_v1_IndexSettings, _snaptrail_v1_IndexSettings__Output>
      Interpreter: MessageTypeDefinition<_snaptrail_v1_Interpreter, _snaptrail_v1_Interpreter__Output>
      LeftOutChange: MessageTypeDefinition<_snaptrail_v1_LeftOutChange, _snaptrail_v1_LeftOutChange__Output>
      LeftOutFile: MessageTypeDefinition<_snaptrail_v1_LeftOutFile, _snaptrail_v1_LeftOutFile__Output>
      ListRunsRequest: MessageTypeDefinition<_snaptrail_v1_ListRunsRequest, _snaptrail_v1_ListRunsRequest__Output>
      ModuleDiff: MessageTypeDefinition<_snaptrail_v1_ModuleDiff, _snaptrail_v1_ModuleDiff__Output>
      OrchestratorContext: MessageTypeDefinition<_snaptrail_v1_OrchestratorContext, _snaptrail_v1_OrchestratorContext__Output>
      OsInfo: MessageTypeDefinition<_snaptrail_v1_OsInfo, _snaptrail_v1_OsInfo__Output>
      OutputFile: MessageTypeDefinition<_snaptrail_v1_OutputFile, _snaptrail_v1_OutputFile__Output>
      OutputProducer: MessageTypeDefinition<_snaptrail_v1_OutputProducer, _snaptrail_v1_OutputProducer__Output>
      OutputProducers: MessageTypeDefinition<_snaptrail_v1_OutputProducers, _snaptrail_v1_OutputProducers__Output>
      Package: MessageTypeDefinition<_snaptrail_v1_Package, _snaptrail_v1_Package__Output>
      PackageChange: MessageTypeDefinition<_snaptrail_v1_PackageChange, _snaptrail_v1_PackageChange__Output>
      PackageDiff: MessageTypeDefinition<_snaptrail_v1_PackageDiff, _snaptrail_v1_PackageDiff__Output>
      PackageIndexes: MessageTypeDefinition<_snaptrail_v1_PackageIndexes, _snaptrail_v1_PackageIndexes__Output>
      PackageRef: MessageTypeDefinition<_snaptrail_v1_PackageRef, _snaptrail_v1_PackageRef__Output>
      PackageRun: MessageTypeDefinition<_snaptrail_v1_PackageRun, _snaptrail_v1_PackageRun__Output>
      PackageRunPage: MessageTypeDefinition<_snaptrail_v1_PackageRunPage, _snaptrail_v1_PackageRunPage__Output>
      PackageSource: MessageTypeDefinition<_snaptrail_v1_PackageSource, _snaptrail_v1_PackageSource__Output>
      PublishAck: MessageTypeDefinition<_snaptrail_v1_PublishAck, _snaptrail_v1_PublishAck__Output>
      PublishRequest: MessageTypeDefinition<_snaptrail_v1_PublishRequest, _snaptrail_v1_PublishRequest__Output>
      PutBlobResponse: MessageTypeDefinition<_snaptrail_v1_PutBlobResponse, _snaptrail_v1_PutBlobResponse__Output>
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
      Query: SubtypeConstructor<typeof grpc.Client, _snaptrail_v1_QueryClient> & { service: _snaptrail_v1_QueryDefinition }
      RunConfig: MessageTypeDefinition<_snaptrail_v1_RunConfig, _snaptrail_v1_RunConfig__Output>
      RunDetail: MessageTypeDefinition<_snaptrail_v1_RunDetail, _snaptrail_v1_RunDetail__Output>
      RunDiff: MessageTypeDefinition<_snaptrail_v1_RunDiff, _snaptrail_v1_RunDiff__Output>
      RunEventRef: MessageTypeDefinition<_snaptrail_v1_RunEventRef, _snaptrail_v1_RunEventRef__Output>
      RunFilters: MessageTypeDefinition<_snaptrail_v1_RunFilters, _snaptrail_v1_RunFilters__Output>
      RunFinished: MessageTypeDefinition<_snaptrail_v1_RunFinished, _snaptrail_v1_RunFinished__Output>
      RunPage: MessageTypeDefinition<_snaptrail_v1_RunPage, _snaptrail_v1_RunPage__Output>
      RunStarted: MessageTypeDefinition<_snaptrail_v1_RunStarted, _snaptrail_v1_RunStarted__Output>
      RunStatus: EnumTypeDefinition
      RunSummary: MessageTypeDefinition<_snaptrail_v1_RunSummary, _snaptrail_v1_RunSummary__Output>
      SearchPackageRequest: MessageTypeDefinition<_snaptrail_v1_SearchPackageRequest, _snaptrail_v1_SearchPackageRequest__Output>
      Snapshot: MessageTypeDefinition<_snaptrail_v1_Snapshot, _snaptrail_v1_Snapshot__Output>
      SnapshotCaptured: MessageTypeDefinition<_snaptrail_v1_SnapshotCaptured, _snaptrail_v1_SnapshotCaptured__Output>
      StepTimelinePage: MessageTypeDefinition<_snaptrail_v1_StepTimelinePage, _snaptrail_v1_StepTimelinePage__Output>
      StepTimelineRequest: MessageTypeDefinition<_snaptrail_v1_StepTimelineRequest, _snaptrail_v1_StepTimelineRequest__Output>
      TimelineRun: MessageTypeDefinition<_snaptrail_v1_TimelineRun, _snaptrail_v1_TimelineRun__Output>
    }
  }
}

