import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ObjectStore } from "@nats-io/obj";
import type { NatsConnection } from "@nats-io/transport-node";
import { DIGEST_PATTERN } from "../../core/digest.js";
import { BadInputError, DigestMismatchError, errorMessage, UnavailableError } from "../../core/errors.js";
import { PRIVATE_FILE_MODE } from "../../core/fs/private-files.js";
import { loadNats } from "../../core/load-nats.js";
import type { BlobStore } from "./blob-store.js";
import { CheckedUpload } from "./checked-upload.js";

/** What JetStream answers a publish to a stream at its max_bytes (discard new). */
const FULL_BUCKET = /maximum bytes|insufficient (storage )?resources/i;

export interface NatsObjectBlobStoreOptions {
  /** nats://HOST:PORT, comma-separated for a cluster. */
  url: string;
  /** The collectors' bucket: only verified bytes are written to it (never the agents' upload bucket). */
  bucket: string;
  /** JetStream replicas of the bucket (3 on a three-server NATS cluster). */
  replicas: number;
  /** A blob larger than this is refused with TooLargeError (nothing is kept). */
  maxBytes: number;
  /**
   * The bucket's size limit (JetStream max_bytes, applied to an existing bucket too). A blob that
   * would not fit is refused with UNAVAILABLE naming natsBlobMaxBytes, and nothing of it stays.
   */
  maxBucketBytes: number;
  /** Where an upload waits while it is hashed, before it goes to the bucket. */
  stagingDir?: string;
  /** NATS user and password, when the server asks for them. */
  user?: string;
  pass?: string;
}

/**
 * Blobs in a JetStream object store, so that N collector replicas share them with no shared
 * filesystem: NATS replicates the bucket. Only bytes whose digest was checked reach the bucket
 * (an upload is hashed into a local staging file first: the object store has no rename, so
 * writing under the final name and checking afterwards would show unchecked bytes to readers),
 * and every read hashes again, so bytes changed in the bucket behind the collector's back are
 * refused, never served. nats.js is loaded lazily, at open.
 */
export class NatsObjectBlobStore implements BlobStore {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly os: ObjectStore,
    private readonly options: NatsObjectBlobStoreOptions,
  ) {}

  static async open(options: NatsObjectBlobStoreOptions): Promise<NatsObjectBlobStore> {
    const nats = await loadNats();
    let nc: NatsConnection;
    try {
      nc = await nats.transport.connect({
        servers: options.url.split(",").map((s) => s.trim()),
        name: "snaptrail-collector-blobs",
        ...(options.user !== undefined ? { user: options.user, pass: options.pass ?? "" } : {}),
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
      });
    } catch (err) {
      throw new UnavailableError(`cannot reach NATS at ${options.url} for the blob store: ${errorMessage(err)}`, { cause: err });
    }
    try {
      const os = await new nats.obj.Objm(nc).create(options.bucket, { storage: "file", replicas: options.replicas, max_bytes: options.maxBucketBytes });
      // create() keeps an existing bucket's config as it is: a changed limit is applied here.
      const { config } = (await os.status()).streamInfo;
      if (config.max_bytes !== options.maxBucketBytes) {
        const jsm = await nats.jetstream.jetstreamManager(nc);
        await jsm.streams.update(config.name, { ...config, max_bytes: options.maxBucketBytes });
      }
      return new NatsObjectBlobStore(nc, os, options);
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw new UnavailableError(`cannot open the NATS object store ${options.bucket} at ${options.url}: ${errorMessage(err)}`, { cause: err });
    }
  }

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  async has(digest: string): Promise<boolean> {
    if (!DIGEST_PATTERN.test(digest)) return false;
    const info = await this.call("looking up", digest, () => this.os.info(digest));
    return info !== null && !info.deleted;
  }

  async get(digest: string): Promise<Buffer | undefined> {
    if (!DIGEST_PATTERN.test(digest)) return undefined;
    const object = await this.call("reading", digest, () => this.os.get(digest));
    if (!object) return undefined;
    const parts: Buffer[] = [];
    const hash = createHash("sha256");
    await this.call("reading", digest, async () => {
      for await (const chunk of object.data) {
        hash.update(chunk);
        parts.push(Buffer.from(chunk));
      }
      const failed = await object.error;
      if (failed) throw failed;
    });
    const actual = `sha256:${hash.digest("hex")}`;
    if (actual !== digest) {
      throw new DigestMismatchError(`blob ${digest} in the NATS object store ${this.options.bucket} holds bytes that hash to ${actual}: refused`, { expected: digest, actual });
    }
    return Buffer.concat(parts);
  }

  async put(digest: string, chunks: AsyncIterable<Uint8Array> | Uint8Array): Promise<{ bytes: number; alreadyPresent: boolean }> {
    if (!DIGEST_PATTERN.test(digest)) throw new BadInputError(`"${digest}" is not a sha256:<64 hex> digest`);
    const upload = new CheckedUpload(digest, chunks, this.options.maxBytes);
    if (await this.has(digest)) return { bytes: await upload.drain(), alreadyPresent: true };
    const dir = await mkdtemp(join(this.options.stagingDir ?? tmpdir(), "snaptrail-blob-"));
    try {
      const file = join(dir, "blob");
      // A scratch copy, not a durable one (no fsync): the bucket is where the blob is kept.
      await pipeline(Readable.from(upload.chunks()), createWriteStream(file, { mode: PRIVATE_FILE_MODE, flags: "wx" }));
      upload.verify();
      const bytes = upload.bytes;
      await this.refuseIfFull(digest, bytes);
      // Two collectors putting one blob at once both succeed: the object store keeps one copy of the same bytes.
      // A put the bucket refuses midway is undone by nats.js (it purges the chunks sent, and
      // the entry naming them is written last), so no reader ever sees part of a blob.
      try {
        await this.os.put({ name: digest }, Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>);
      } catch (err) {
        await this.refuseIfFull(digest, bytes, err);
        throw this.failure("storing", digest, err);
      }
      return { bytes, alreadyPresent: false };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async ping(): Promise<void> {
    try {
      await this.nc.rtt();
    } catch (err) {
      throw new UnavailableError(`the NATS object store ${this.options.bucket} at ${this.options.url} is not reachable: ${errorMessage(err)}`, { cause: err });
    }
  }

  /**
   * Refuses a blob the bucket has no room for, before any of it is sent; with `failed`, tells
   * whether the server refused a put for want of room. A full bucket is the operator's to fix,
   * never the sender's fault: UNAVAILABLE, so agents keep the archive and send it again later.
   */
  private async refuseIfFull(digest: string, bytes: number, failed?: unknown): Promise<void> {
    const limit = this.options.maxBucketBytes;
    if (limit < 0) return;
    const used = (await this.call("checking room for", digest, () => this.os.status())).size;
    const refusedForRoom = failed !== undefined && FULL_BUCKET.test(errorMessage(failed));
    if (used + bytes <= limit && !refusedForRoom) return;
    throw new UnavailableError(
      `the NATS object store ${this.options.bucket} is full: blob ${digest} (${bytes} bytes) does not fit in natsBlobMaxBytes = ${limit} bytes (${used} in use); nothing of it was stored. Raise natsBlobMaxBytes (--nats-blob-max-bytes, SNAPTRAIL_COLLECTOR_NATS_BLOB_MAX_BYTES) or free the bucket`,
      failed === undefined ? undefined : { cause: failed },
    );
  }

  async close(): Promise<void> {
    try {
      await this.nc.drain();
    } catch {
      await this.nc.close().catch(() => undefined);
    }
  }

  /** A NATS failure as ours: the blob store is away for now (retryable), naming the blob and the bucket. */
  private async call<T>(doing: string, digest: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.failure(doing, digest, err);
    }
  }

  private failure(doing: string, digest: string, err: unknown): UnavailableError {
    return new UnavailableError(`${doing} blob ${digest} in the NATS object store ${this.options.bucket} at ${this.options.url} failed: ${errorMessage(err)}`, { cause: err });
  }
}
