import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { BlobChunk as _snaptrail_v1_BlobChunk, BlobChunk__Output as _snaptrail_v1_BlobChunk__Output } from './snaptrail/v1/BlobChunk.js';
import type { CaptureWarning as _snaptrail_v1_CaptureWarning, CaptureWarning__Output as _snaptrail_v1_CaptureWarning__Output } from './snaptrail/v1/CaptureWarning.js';
import type { CodeSnapshot as _snaptrail_v1_CodeSnapshot, CodeSnapshot__Output as _snaptrail_v1_CodeSnapshot__Output } from './snaptrail/v1/CodeSnapshot.js';
import type { CollectorClient as _snaptrail_v1_CollectorClient, CollectorDefinition as _snaptrail_v1_CollectorDefinition } from './snaptrail/v1/Collector.js';
import type { ContainerImage as _snaptrail_v1_ContainerImage, ContainerImage__Output as _snaptrail_v1_ContainerImage__Output } from './snaptrail/v1/ContainerImage.js';
import type { EnvVar as _snaptrail_v1_EnvVar, EnvVar__Output as _snaptrail_v1_EnvVar__Output } from './snaptrail/v1/EnvVar.js';
import type { EnvironmentSnapshot as _snaptrail_v1_EnvironmentSnapshot, EnvironmentSnapshot__Output as _snaptrail_v1_EnvironmentSnapshot__Output } from './snaptrail/v1/EnvironmentSnapshot.js';
import type { Event as _snaptrail_v1_Event, Event__Output as _snaptrail_v1_Event__Output } from './snaptrail/v1/Event.js';
import type { FileEntry as _snaptrail_v1_FileEntry, FileEntry__Output as _snaptrail_v1_FileEntry__Output } from './snaptrail/v1/FileEntry.js';
import type { GitInfo as _snaptrail_v1_GitInfo, GitInfo__Output as _snaptrail_v1_GitInfo__Output } from './snaptrail/v1/GitInfo.js';
import type { Gpu as _snaptrail_v1_Gpu, Gpu__Output as _snaptrail_v1_Gpu__Output } from './snaptrail/v1/Gpu.js';
import type { HasDigestsRequest as _snaptrail_v1_HasDigestsRequest, HasDigestsRequest__Output as _snaptrail_v1_HasDigestsRequest__Output } from './snaptrail/v1/HasDigestsRequest.js';
import type { HasDigestsResponse as _snaptrail_v1_HasDigestsResponse, HasDigestsResponse__Output as _snaptrail_v1_HasDigestsResponse__Output } from './snaptrail/v1/HasDigestsResponse.js';
import type { HostSnapshot as _snaptrail_v1_HostSnapshot, HostSnapshot__Output as _snaptrail_v1_HostSnapshot__Output } from './snaptrail/v1/HostSnapshot.js';
import type { IndexSettings as _snaptrail_v1_IndexSettings, IndexSettings__Output as _snaptrail_v1_IndexSettings__Output } from './snaptrail/v1/IndexSettings.js';
import type { Interpreter as _snaptrail_v1_Interpreter, Interpreter__Output as _snaptrail_v1_Interpreter__Output } from './snaptrail/v1/Interpreter.js';
import type { LeftOutFile as _snaptrail_v1_LeftOutFile, LeftOutFile__Output as _snaptrail_v1_LeftOutFile__Output } from './snaptrail/v1/LeftOutFile.js';
import type { OrchestratorContext as _snaptrail_v1_OrchestratorContext, OrchestratorContext__Output as _snaptrail_v1_OrchestratorContext__Output } from './snaptrail/v1/OrchestratorContext.js';
import type { OsInfo as _snaptrail_v1_OsInfo, OsInfo__Output as _snaptrail_v1_OsInfo__Output } from './snaptrail/v1/OsInfo.js';
import type { OutputFile as _snaptrail_v1_OutputFile, OutputFile__Output as _snaptrail_v1_OutputFile__Output } from './snaptrail/v1/OutputFile.js';
import type { Package as _snaptrail_v1_Package, Package__Output as _snaptrail_v1_Package__Output } from './snaptrail/v1/Package.js';
import type { PackageIndexes as _snaptrail_v1_PackageIndexes, PackageIndexes__Output as _snaptrail_v1_PackageIndexes__Output } from './snaptrail/v1/PackageIndexes.js';
import type { PackageSource as _snaptrail_v1_PackageSource, PackageSource__Output as _snaptrail_v1_PackageSource__Output } from './snaptrail/v1/PackageSource.js';
import type { PublishAck as _snaptrail_v1_PublishAck, PublishAck__Output as _snaptrail_v1_PublishAck__Output } from './snaptrail/v1/PublishAck.js';
import type { PublishRequest as _snaptrail_v1_PublishRequest, PublishRequest__Output as _snaptrail_v1_PublishRequest__Output } from './snaptrail/v1/PublishRequest.js';
import type { PutBlobResponse as _snaptrail_v1_PutBlobResponse, PutBlobResponse__Output as _snaptrail_v1_PutBlobResponse__Output } from './snaptrail/v1/PutBlobResponse.js';
import type { RunConfig as _snaptrail_v1_RunConfig, RunConfig__Output as _snaptrail_v1_RunConfig__Output } from './snaptrail/v1/RunConfig.js';
import type { RunFinished as _snaptrail_v1_RunFinished, RunFinished__Output as _snaptrail_v1_RunFinished__Output } from './snaptrail/v1/RunFinished.js';
import type { RunStarted as _snaptrail_v1_RunStarted, RunStarted__Output as _snaptrail_v1_RunStarted__Output } from './snaptrail/v1/RunStarted.js';
import type { SnapshotCaptured as _snaptrail_v1_SnapshotCaptured, SnapshotCaptured__Output as _snaptrail_v1_SnapshotCaptured__Output } from './snaptrail/v1/SnapshotCaptured.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  snaptrail: {
    v1: {
      BlobChunk: MessageTypeDefinition<_snaptrail_v1_BlobChunk, _snaptrail_v1_BlobChunk__Output>
      CaptureWarning: MessageTypeDefinition<_snaptrail_v1_CaptureWarning, _snaptrail_v1_CaptureWarning__Output>
      CodeSnapshot: MessageTypeDefinition<_snaptrail_v1_CodeSnapshot, _snaptrail_v1_CodeSnapshot__Output>
      Collector: SubtypeConstructor<typeof grpc.Client, _snaptrail_v1_CollectorClient> & { service: _snaptrail_v1_CollectorDefinition }
      ContainerImage: MessageTypeDefinition<_snaptrail_v1_ContainerImage, _snaptrail_v1_ContainerImage__Output>
      EnvVar: MessageTypeDefinition<_snaptrail_v1_EnvVar, _snaptrail_v1_EnvVar__Output>
      EnvironmentSnapshot: MessageTypeDefinition<_snaptrail_v1_EnvironmentSnapshot, _snaptrail_v1_EnvironmentSnapshot__Output>
      Event: MessageTypeDefinition<_snaptrail_v1_Event, _snaptrail_v1_Event__Output>
      FileEntry: MessageTypeDefinition<_snaptrail_v1_FileEntry, _snaptrail_v1_FileEntry__Output>
      GitInfo: MessageTypeDefinition<_snaptrail_v1_GitInfo, _snaptrail_v1_GitInfo__Output>
      Gpu: MessageTypeDefinition<_snaptrail_v1_Gpu, _snaptrail_v1_Gpu__Output>
      HasDigestsRequest: MessageTypeDefinition<_snaptrail_v1_HasDigestsRequest, _snaptrail_v1_HasDigestsRequest__Output>
      HasDigestsResponse: MessageTypeDefinition<_snaptrail_v1_HasDigestsResponse, _snaptrail_v1_HasDigestsResponse__Output>
      HostSnapshot: MessageTypeDefinition<_snaptrail_v1_HostSnapshot, _snaptrail_v1_HostSnapshot__Output>
      IndexSettings: MessageTypeDefinition<_snaptrail_v1_IndexSettings, _snaptrail_v1_IndexSettings__Output>
      Interpreter: MessageTypeDefinition<_snaptrail_v1_Interpreter, _snaptrail_v1_Interpreter__Output>
      LeftOutFile: MessageTypeDefinition<_snaptrail_v1_LeftOutFile, _snaptrail_v1_LeftOutFile__Output>
      OrchestratorContext: MessageTypeDefinition<_snaptrail_v1_OrchestratorContext, _snaptrail_v1_OrchestratorContext__Output>
      OsInfo: MessageTypeDefinition<_snaptrail_v1_OsInfo, _snaptrail_v1_OsInfo__Output>
      OutputFile: MessageTypeDefinition<_snaptrail_v1_OutputFile, _snaptrail_v1_OutputFile__Output>
      Package: MessageTypeDefinition<_snaptrail_v1_Package, _snaptrail_v1_Package__Output>
      PackageIndexes: MessageTypeDefinition<_snaptrail_v1_PackageIndexes, _snaptrail_v1_PackageIndexes__Output>
      PackageSource: MessageTypeDefinition<_snaptrail_v1_PackageSource, _snaptrail_v1_PackageSource__Output>
      PublishAck: MessageTypeDefinition<_snaptrail_v1_PublishAck, _snaptrail_v1_PublishAck__Output>
      PublishRequest: MessageTypeDefinition<_snaptrail_v1_PublishRequest, _snaptrail_v1_PublishRequest__Output>
      PutBlobResponse: MessageTypeDefinition<_snaptrail_v1_PutBlobResponse, _snaptrail_v1_PutBlobResponse__Output>
      RunConfig: MessageTypeDefinition<_snaptrail_v1_RunConfig, _snaptrail_v1_RunConfig__Output>
      RunFinished: MessageTypeDefinition<_snaptrail_v1_RunFinished, _snaptrail_v1_RunFinished__Output>
      RunStarted: MessageTypeDefinition<_snaptrail_v1_RunStarted, _snaptrail_v1_RunStarted__Output>
      SnapshotCaptured: MessageTypeDefinition<_snaptrail_v1_SnapshotCaptured, _snaptrail_v1_SnapshotCaptured__Output>
    }
  }
}

