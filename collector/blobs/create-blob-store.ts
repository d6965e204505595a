import { ConfigError } from "../../core/errors.js";
import type { BlobStore } from "./blob-store.js";
import { FsBlobStore, type FsBlobStoreOptions } from "./fs-blob-store.js";

/** The one place a BlobStore is chosen: a directory on the local filesystem, for now. */
export function createBlobStore(dir: string, options: FsBlobStoreOptions = {}): BlobStore {
  if (dir.trim() === "") throw new ConfigError("blob directory is empty");
  return new FsBlobStore(dir, options);
}
