import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CodeSnapshot as _snaptrail_v1_CodeSnapshot, CodeSnapshot__Output as _snaptrail_v1_CodeSnapshot__Output } from './snaptrail/v1/CodeSnapshot.js';
import type { ContainerImage as _snaptrail_v1_ContainerImage, ContainerImage__Output as _snaptrail_v1_ContainerImage__Output } from './snaptrail/v1/ContainerImage.js';
import type { EnvVar as _snaptrail_v1_EnvVar, EnvVar__Output as _snaptrail_v1_EnvVar__Output } from './snaptrail/v1/EnvVar.js';
import type { EnvironmentSnapshot as _snaptrail_v1_EnvironmentSnapshot, EnvironmentSnapshot__Output as _snaptrail_v1_EnvironmentSnapshot__Output } from './snaptrail/v1/EnvironmentSnapshot.js';
import type { FileEntry as _snaptrail_v1_FileEntry, FileEntry__Output as _snaptrail_v1_FileEntry__Output } from './snaptrail/v1/FileEntry.js';
import type { GitInfo as _snaptrail_v1_GitInfo, GitInfo__Output as _snaptrail_v1_GitInfo__Output } from './snaptrail/v1/GitInfo.js';
import type { Gpu as _snaptrail_v1_Gpu, Gpu__Output as _snaptrail_v1_Gpu__Output } from './snaptrail/v1/Gpu.js';
import type { HostSnapshot as _snaptrail_v1_HostSnapshot, HostSnapshot__Output as _snaptrail_v1_HostSnapshot__Output } from './snaptrail/v1/HostSnapshot.js';
import type { IndexSettings as _snaptrail_v1_IndexSettings, IndexSettings__Output as _snaptrail_v1_IndexSettings__Output } from './snaptrail/v1/IndexSettings.js';
import type { Interpreter as _snaptrail_v1_Interpreter, Interpreter__Output as _snaptrail_v1_Interpreter__Output } from './snaptrail/v1/Interpreter.js';
import type { LeftOutFile as _snaptrail_v1_LeftOutFile, LeftOutFile__Output as _snaptrail_v1_LeftOutFile__Output } from './snaptrail/v1/LeftOutFile.js';
import type { OsInfo as _snaptrail_v1_OsInfo, OsInfo__Output as _snaptrail_v1_OsInfo__Output } from './snaptrail/v1/OsInfo.js';
import type { Package as _snaptrail_v1_Package, Package__Output as _snaptrail_v1_Package__Output } from './snaptrail/v1/Package.js';
import type { PackageIndexes as _snaptrail_v1_PackageIndexes, PackageIndexes__Output as _snaptrail_v1_PackageIndexes__Output } from './snaptrail/v1/PackageIndexes.js';
import type { PackageSource as _snaptrail_v1_PackageSource, PackageSource__Output as _snaptrail_v1_PackageSource__Output } from './snaptrail/v1/PackageSource.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  snaptrail: {
    v1: {
      CodeSnapshot: MessageTypeDefinition<_snaptrail_v1_CodeSnapshot, _snaptrail_v1_CodeSnapshot__Output>
      ContainerImage: MessageTypeDefinition<_snaptrail_v1_ContainerImage, _snaptrail_v1_ContainerImage__Output>
      EnvVar: MessageTypeDefinition<_snaptrail_v1_EnvVar, _snaptrail_v1_EnvVar__Output>
      EnvironmentSnapshot: MessageTypeDefinition<_snaptrail_v1_EnvironmentSnapshot, _snaptrail_v1_EnvironmentSnapshot__Output>
      FileEntry: MessageTypeDefinition<_snaptrail_v1_FileEntry, _snaptrail_v1_FileEntry__Output>
      GitInfo: MessageTypeDefinition<_snaptrail_v1_GitInfo, _snaptrail_v1_GitInfo__Output>
      Gpu: MessageTypeDefinition<_snaptrail_v1_Gpu, _snaptrail_v1_Gpu__Output>
      HostSnapshot: MessageTypeDefinition<_snaptrail_v1_HostSnapshot, _snaptrail_v1_HostSnapshot__Output>
      IndexSettings: MessageTypeDefinition<_snaptrail_v1_IndexSettings, _snaptrail_v1_IndexSettings__Output>
      Interpreter: MessageTypeDefinition<_snaptrail_v1_Interpreter, _snaptrail_v1_Interpreter__Output>
      LeftOutFile: MessageTypeDefinition<_snaptrail_v1_LeftOutFile, _snaptrail_v1_LeftOutFile__Output>
      OsInfo: MessageTypeDefinition<_snaptrail_v1_OsInfo, _snaptrail_v1_OsInfo__Output>
      Package: MessageTypeDefinition<_snaptrail_v1_Package, _snaptrail_v1_Package__Output>
      PackageIndexes: MessageTypeDefinition<_snaptrail_v1_PackageIndexes, _snaptrail_v1_PackageIndexes__Output>
      PackageSource: MessageTypeDefinition<_snaptrail_v1_PackageSource, _snaptrail_v1_PackageSource__Output>
    }
  }
}

