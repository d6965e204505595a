/**
 * Content-addressed bytes (code archives and cached outputs). Implementation: a folder on the
 * filesystem, whatever the store (shared storage when several collectors run); archives sent over
 * NATS are copied into it from the JetStream object store. `put` verifies the digest before the
 * blob becomes visible.
 */
export interface BlobStore {
  has(digest: string): Promise<boolean>;
  /** Stores bytes under their "sha256:..." digest; throws DIGEST_MISMATCH or TOO_LARGE. */
  put(digest: string, chunks: AsyncIterable<Uint8Array> | Uint8Array): Promise<{ bytes: number; alreadyPresent: boolean }>;
  get(digest: string): Promise<Buffer | undefined>;
}
