// The data model, one name per concept. The shapes are the ones generated from
// proto/snaptrail/v1 (decoded with defaults, so every scalar is present), which keeps the agent,
// the wire and the collector on a single definition.
export type { EnvironmentSnapshot__Output as EnvironmentSnapshot } from "../proto/generated/snaptrail/v1/EnvironmentSnapshot.js";
export type { HostSnapshot__Output as HostSnapshot } from "../proto/generated/snaptrail/v1/HostSnapshot.js";
export type { CodeSnapshot__Output as CodeSnapshot } from "../proto/generated/snaptrail/v1/CodeSnapshot.js";
export type { Interpreter__Output as Interpreter } from "../proto/generated/snaptrail/v1/Interpreter.js";
export type { Package__Output as Package } from "../proto/generated/snaptrail/v1/Package.js";
export type { PackageSource__Output as PackageSource } from "../proto/generated/snaptrail/v1/PackageSource.js";
export type { IndexSettings__Output as IndexSettings } from "../proto/generated/snaptrail/v1/IndexSettings.js";
export type { PackageIndexes__Output as PackageIndexes } from "../proto/generated/snaptrail/v1/PackageIndexes.js";
export type { ContainerImage__Output as ContainerImage } from "../proto/generated/snaptrail/v1/ContainerImage.js";
export type { OsInfo__Output as OsInfo } from "../proto/generated/snaptrail/v1/OsInfo.js";
export type { EnvVar__Output as EnvVar } from "../proto/generated/snaptrail/v1/EnvVar.js";
export type { Gpu__Output as Gpu } from "../proto/generated/snaptrail/v1/Gpu.js";
export type { GitInfo__Output as GitInfo } from "../proto/generated/snaptrail/v1/GitInfo.js";
export type { FileEntry__Output as FileEntry } from "../proto/generated/snaptrail/v1/FileEntry.js";
export type { LeftOutFile__Output as LeftOutFile } from "../proto/generated/snaptrail/v1/LeftOutFile.js";
export type { OrchestratorContext__Output as OrchestratorContext } from "../proto/generated/snaptrail/v1/OrchestratorContext.js";
export type { RunConfig__Output as RunConfig } from "../proto/generated/snaptrail/v1/RunConfig.js";
export type { RunStarted__Output as RunStarted } from "../proto/generated/snaptrail/v1/RunStarted.js";
export type { SnapshotCaptured__Output as SnapshotCaptured } from "../proto/generated/snaptrail/v1/SnapshotCaptured.js";
export type { RunFinished__Output as RunFinished } from "../proto/generated/snaptrail/v1/RunFinished.js";
export type { OutputFile__Output as OutputFile } from "../proto/generated/snaptrail/v1/OutputFile.js";
export type { CaptureWarning__Output as CaptureWarning } from "../proto/generated/snaptrail/v1/CaptureWarning.js";
export type { Event__Output as SnapshotEvent } from "../proto/generated/snaptrail/v1/Event.js";

export type OrchestratorKind = "LOCAL" | "AIRFLOW" | "KUBEFLOW" | "SLURM";
export type SnapshotKind = "environment" | "host" | "code";

/** Why a file of the work tree is named in a code snapshot without its content (LeftOutFile.reason). */
export const LEFT_OUT_SECRET_PATTERN = "secret pattern";
