import { createHash } from "node:crypto";
import type { BlobStore } from "../../collector/blobs/blob-store.js";
import { DigestMismatchError } from "../../core/errors.js";

/** A BlobStore in memory, for unit tests. `put` verifies the digest like the real ones do. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();

  has(digest: string): Promise<boolean> {
    return Promise.resolve(this.blobs.has(digest));
  }

  async put(digest: string, chunks: AsyncIterable<Uint8Array> | Uint8Array): Promise<{ bytes: number; alreadyPresent: boolean }> {
    const parts: Buffer[] = [];
    if (chunks instanceof Uint8Array) parts.push(Buffer.from(chunks));
    else for await (const c of chunks) parts.push(Buffer.from(c));
    const data = Buffer.concat(parts);
    const actual = MemoryBlobStore.digestOf(data);
    if (actual !== digest) throw new DigestMismatchError(`blob digest is ${actual}, not ${digest}`, { expected: digest, actual });
    const alreadyPresent = this.blobs.has(digest);
    if (!alreadyPresent) this.blobs.set(digest, data);
    return { bytes: data.length, alreadyPresent };
  }

  get(digest: string): Promise<Buffer | undefined> {
    return Promise.resolve(this.blobs.get(digest));
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Stores `data` and returns its digest. */
  async add(data: Buffer): Promise<string> {
    const digest = MemoryBlobStore.digestOf(data);
    await this.put(digest, data);
    return digest;
  }

  static digestOf(data: Uint8Array): string {
    return `sha256:${createHash("sha256").update(data).digest("hex")}`;
  }
}
