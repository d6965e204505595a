import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BlobStore } from "../../collector/blobs/blob-store.js";
import { sha256Digest } from "../../core/digest.js";

// What every BlobStore must do, whatever keeps the bytes: run by each implementation's tests
// (the folder in test/unit, the NATS object store against a real nats-server).

export interface BlobStoreUnderTest {
  /** A new, empty store with this size limit. */
  open(maxBytes: number): Promise<BlobStore>;
  /** What the store keeps outside its API (files, objects), to check that a refusal kept nothing. */
  kept(blobs: BlobStore): Promise<number>;
  cleanup?(): Promise<void>;
}

async function* chunked(data: Buffer, size: number, delayMs = 0): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) {
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    yield data.subarray(i, i + size);
  }
}

export function blobStoreContract(name: string, setup: () => Promise<BlobStoreUnderTest>): void {
  void describe(`BlobStore contract: ${name}`, () => {
    let impl: BlobStoreUnderTest;
    const opened: BlobStore[] = [];
    const open = async (maxBytes = 64 * 1024 * 1024): Promise<BlobStore> => {
      const blobs = await impl.open(maxBytes);
      opened.push(blobs);
      return blobs;
    };
    before(async () => {
      impl = await setup();
    });
    after(async () => {
      for (const b of opened) await b.close();
      await impl.cleanup?.();
    });

    void it("stores streamed bytes under their digest, reads them back, and knows a second put", async () => {
      const blobs = await open();
      // Larger than one object-store chunk and sent in odd-sized pieces.
      const data = Buffer.from("a tar archive, in spirit\n".repeat(40_000));
      const digest = sha256Digest(data);
      assert.equal(await blobs.has(digest), false);
      assert.equal(await blobs.get(digest), undefined);
      assert.deepEqual(await blobs.put(digest, chunked(data, 7777)), { bytes: data.length, alreadyPresent: false });
      assert.equal(await blobs.has(digest), true);
      assert.deepEqual(await blobs.get(digest), data);
      assert.deepEqual(await blobs.put(digest, data), { bytes: data.length, alreadyPresent: true });
      assert.equal(await impl.kept(blobs), 1);
    });

    void it("stores an empty blob", async () => {
      const blobs = await open();
      const digest = sha256Digest(Buffer.alloc(0));
      assert.deepEqual(await blobs.put(digest, Buffer.alloc(0)), { bytes: 0, alreadyPresent: false });
      assert.deepEqual(await blobs.get(digest), Buffer.alloc(0));
    });

    void it("keeps nothing when the bytes do not match the digest", async () => {
      const blobs = await open();
      const wrong = sha256Digest("something else");
      await assert.rejects(blobs.put(wrong, chunked(Buffer.from("the real bytes"), 4)), { code: "DIGEST_MISMATCH" });
      assert.equal(await blobs.has(wrong), false);
      assert.equal(await impl.kept(blobs), 0);
    });

    void it("refuses blobs over maxBytes and keeps nothing; exactly maxBytes fits", async () => {
      const blobs = await open(1000);
      const data = Buffer.alloc(1001, 1);
      await assert.rejects(blobs.put(sha256Digest(data), chunked(data, 100)), { code: "TOO_LARGE", name: "TooLargeError" });
      assert.equal(await impl.kept(blobs), 0);
      const fits = Buffer.alloc(1000, 1);
      assert.equal((await blobs.put(sha256Digest(fits), fits)).bytes, 1000);
    });

    void it("keeps nothing when the source fails mid-stream", async () => {
      const blobs = await open();
      async function* broken(): AsyncIterable<Uint8Array> {
        yield Buffer.from("part one");
        await Promise.resolve();
        throw new Error("client went away");
      }
      await assert.rejects(blobs.put(sha256Digest("whatever"), broken()), /client went away/);
      assert.equal(await impl.kept(blobs), 0);
    });

    void it("lets concurrent writers of the same blob all succeed with one copy", async () => {
      const blobs = await open();
      const data = Buffer.from("x".repeat(200_000));
      const digest = sha256Digest(data);
      const results = await Promise.all(Array.from({ length: 6 }, () => blobs.put(digest, chunked(data, 10_000, 1))));
      for (const r of results) assert.equal(r.bytes, data.length);
      assert.deepEqual(await blobs.get(digest), data);
      assert.equal(await impl.kept(blobs), 1);
    });

    void it("refuses a malformed digest and never looks one up", async () => {
      const blobs = await open();
      await assert.rejects(blobs.put("sha256:XYZ", Buffer.from("x")), { code: "BAD_INPUT" });
      await assert.rejects(blobs.put("../../etc/passwd", Buffer.from("x")), { code: "BAD_INPUT" });
      assert.equal(await blobs.has("sha256:../x"), false);
      assert.equal(await blobs.get("md5:abc"), undefined);
      assert.equal(await impl.kept(blobs), 0);
    });
  });
}
