/**
 * Content-addressed bytes (code archives and cached outputs). Implementations: a folder on the
 * filesystem (one collector, or several sharing it), or a JetStream object store (replicas with no
 * shared filesystem), chosen in create-blob-store.ts. Archives sent over NATS are copied into it
 * from the agents' upload bucket. `put` verifies the digest before the blob becomes visible.
 */
export interface BlobStore {
  has(digest: string): Promise<boolean>;
  /** Stores bytes under their "sha256:..." digest; throws DIGEST_MISMATCH or TOO_LARGE. */
  put(digest: string, chunks: AsyncIterable<Uint8Array> | Uint8Array): Promise<{ bytes: number; alreadyPresent: boolean }>;
  get(digest: string): Promise<Buffer | undefined>;
  /** Resolves when blobs could be stored now (folder writable, object store reached), else throws UNAVAILABLE. */
  ping(): Promise<void>;
  /** Lets go of connections; the blobs stay. */
  close(): Promise<void>;
}
