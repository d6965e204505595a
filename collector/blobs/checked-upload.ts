import { createHash } from "node:crypto";
import { DigestMismatchError, TooLargeError } from "../../core/errors.js";

/**
 * An upload as every BlobStore takes it: bounded (the bound stops a huge upload midway) and
 * hashed while it streams to wherever the store stages it; `verify()` then says whether the bytes
 * are the announced digest's.
 */
export class CheckedUpload {
  bytes = 0;
  private readonly hash = createHash("sha256");
  private readonly source: AsyncIterable<Uint8Array>;

  constructor(
    private readonly digest: string,
    chunks: AsyncIterable<Uint8Array> | Uint8Array,
    private readonly maxBytes: number,
  ) {
    this.source = chunks instanceof Uint8Array ? single(chunks) : chunks;
  }

  /** The chunks, counted, bounded and hashed as they pass. */
  async *chunks(): AsyncIterable<Uint8Array> {
    for await (const chunk of this.source) {
      this.count(chunk);
      this.hash.update(chunk);
      yield chunk;
    }
  }

  /**
   * Reads the whole input without keeping it: a blob already stored still consumes what a
   * streaming sender sends (so it is not left hanging) and still bounds it. Resolves with the size.
   */
  async drain(): Promise<number> {
    for await (const chunk of this.source) this.count(chunk);
    return this.bytes;
  }

  /** Throws DIGEST_MISMATCH unless the bytes streamed by chunks() hash to the announced digest. */
  verify(): void {
    const actual = `sha256:${this.hash.digest("hex")}`;
    if (actual !== this.digest) throw new DigestMismatchError(`blob bytes hash to ${actual}, not the announced ${this.digest}`, { expected: this.digest, actual });
  }

  private count(chunk: Uint8Array): void {
    this.bytes += chunk.byteLength;
    if (this.bytes > this.maxBytes) {
      throw new TooLargeError(`blob ${this.digest} is larger than the limit of ${this.maxBytes} bytes (got ${this.bytes} so far)`);
    }
  }
}

async function* single(data: Uint8Array): AsyncIterable<Uint8Array> {
  await Promise.resolve();
  yield data;
}
