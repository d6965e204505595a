/**
 * Content-addressed bytes (code archives). Implementations: filesystem (now), a ClickHouse
 * table (later). `put` verifies the digest before the blob becomes visible.
 */
export interface BlobStore {
  has(digest: string): Promise<boolean>;
  /** Stores bytes under their "sha256:..." digest; throws DIGEST_MISMATCH or TOO_LARGE. */
  put(digest: string, chunks: AsyncIterable<Uint8Array> | Uint8Array): Promise<{ bytes: number; alreadyPresent: boolean }>;
  get(digest: string): Promise<Buffer | undefined>;
}
