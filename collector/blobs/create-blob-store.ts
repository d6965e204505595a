import { ConfigError } from "../../core/errors.js";
import type { BlobStore } from "./blob-store.js";
import { FsBlobStore, type FsBlobStoreOptions } from "./fs-blob-store.js";

export interface BlobStoreChoice extends FsBlobStoreOptions {
  /** The folder of a filesystem blob store; with `nats`, where uploads are staged while hashed. */
  dir: string;
  /** nats://HOST:PORT[,...]: keep blobs in this NATS's JetStream object store instead of `dir`. */
  nats?: string | undefined;
  /** The object store bucket (with `nats`). */
  bucket?: string;
  /** Its JetStream replicas (with `nats`). */
  replicas?: number;
  /** NATS user and password (with `nats`). */
  user?: string;
  pass?: string;
  /** Its size limit in bytes, -1 for none (with `nats`). */
  maxBucketBytes?: number;
}

export const DEFAULT_NATS_BLOB_BUCKET = "snaptrail-collector-blobs";

/**
 * The one place a BlobStore is chosen: a folder, or a JetStream object store when `nats` is given
 * (loaded lazily: a collector on a folder never loads nats.js for blobs).
 */
export async function createBlobStore(choice: BlobStoreChoice): Promise<BlobStore> {
  if (choice.dir.trim() === "") throw new ConfigError("blob directory is empty");
  if (choice.nats === undefined) return new FsBlobStore(choice.dir, choice);
  const { NatsObjectBlobStore } = await import("./nats-object-blob-store.js");
  const { DEFAULT_MAX_BLOB_BYTES } = await import("./fs-blob-store.js");
  return NatsObjectBlobStore.open({
    url: choice.nats,
    bucket: choice.bucket ?? DEFAULT_NATS_BLOB_BUCKET,
    replicas: choice.replicas ?? 1,
    maxBytes: choice.maxBytes ?? DEFAULT_MAX_BLOB_BYTES,
    maxBucketBytes: choice.maxBucketBytes ?? -1,
    stagingDir: choice.dir,
    ...(choice.user !== undefined ? { user: choice.user, pass: choice.pass ?? "" } : {}),
  });
}
