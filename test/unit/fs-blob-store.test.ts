import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { sha256Digest } from "../../core/digest.js";
import { createBlobStore } from "../../collector/blobs/create-blob-store.js";
import { FsBlobStore } from "../../collector/blobs/fs-blob-store.js";
import { blobStoreContract } from "../contract/blob-store-contract.js";

const dir = mkdtempSync(join(tmpdir(), "snaptrail-blobs-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const freshDir = () => join(dir, `store-${++n}`);

/** Every file under a folder, recursively, relative to it. */
function filesUnder(root: string): string[] {
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(root.length + 1));
  } catch {
    return [];
  }
}

async function* chunked(data: Buffer, size: number, delayMs = 0): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) {
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    yield data.subarray(i, i + size);
  }
}

blobStoreContract("a folder (FsBlobStore)", () =>
  Promise.resolve({
    open: (maxBytes) => Promise.resolve(new FsBlobStore(freshDir(), { maxBytes })),
    kept: (blobs) => Promise.resolve(filesUnder((blobs as FsBlobStore).dir).length),
  }),
);

void describe("FsBlobStore", () => {
  void it("stores bytes under DIR/sha256/ab/<hex> and reads them back", async () => {
    const root = freshDir();
    const blobs = new FsBlobStore(root);
    const data = Buffer.from("a tar archive, in spirit\n".repeat(1000));
    const digest = sha256Digest(data);
    assert.equal(await blobs.has(digest), false);
    assert.equal(await blobs.get(digest), undefined);
    assert.deepEqual(await blobs.put(digest, chunked(data, 777)), { bytes: data.length, alreadyPresent: false });
    assert.equal(await blobs.has(digest), true);
    assert.deepEqual(await blobs.get(digest), data);
    const hex = digest.slice(7);
    assert.deepEqual(filesUnder(root), [join("sha256", hex.slice(0, 2), hex)]);
    assert.deepEqual(await blobs.put(digest, data), { bytes: data.length, alreadyPresent: true });
  });

  void it("keeps blobs private: files 0600, folders 0700, whatever the umask", async () => {
    const old = process.umask(0o022);
    try {
      const root = freshDir();
      const blobs = new FsBlobStore(root);
      const data = Buffer.from("DB_PASSWORD=hunter2 would be in here\n");
      const digest = sha256Digest(data);
      await blobs.put(digest, data);
      const hex = digest.slice(7);
      const modeOf = (p: string) => statSync(p).mode & 0o777;
      assert.equal(modeOf(join(root, "sha256", hex.slice(0, 2), hex)), 0o600);
      for (const folder of [root, join(root, "sha256"), join(root, "sha256", hex.slice(0, 2))]) assert.equal(modeOf(folder), 0o700, folder);
    } finally {
      process.umask(old);
    }
  });

  void it("keeps nothing when the bytes do not match the digest", async () => {
    const root = freshDir();
    const blobs = new FsBlobStore(root);
    const wrong = sha256Digest("something else");
    await assert.rejects(blobs.put(wrong, chunked(Buffer.from("the real bytes"), 4)), { code: "DIGEST_MISMATCH" });
    assert.equal(await blobs.has(wrong), false);
    assert.deepEqual(filesUnder(root), []);
  });

  void it("refuses blobs over maxBytes and keeps nothing", async () => {
    const root = freshDir();
    const blobs = await createBlobStore({ dir: root, maxBytes: 1000 });
    const data = Buffer.alloc(1001, 1);
    await assert.rejects(blobs.put(sha256Digest(data), chunked(data, 100)), { code: "TOO_LARGE", name: "TooLargeError" });
    assert.deepEqual(filesUnder(root), []);
    const fits = Buffer.alloc(1000, 1);
    assert.equal((await blobs.put(sha256Digest(fits), fits)).bytes, 1000);
  });

  void it("removes the temp file when the source fails mid-stream", async () => {
    const root = freshDir();
    const blobs = new FsBlobStore(root);
    async function* broken(): AsyncIterable<Uint8Array> {
      yield Buffer.from("part one");
      await Promise.resolve();
      throw new Error("client went away");
    }
    await assert.rejects(blobs.put(sha256Digest("whatever"), broken()), /client went away/);
    assert.deepEqual(filesUnder(root), []);
  });

  void it("lets concurrent writers of the same blob all succeed with one file", async () => {
    const root = freshDir();
    const blobs = new FsBlobStore(root);
    const data = Buffer.from("x".repeat(200_000));
    const digest = sha256Digest(data);
    const results = await Promise.all(Array.from({ length: 8 }, () => blobs.put(digest, chunked(data, 10_000, 1))));
    for (const r of results) assert.equal(r.bytes, data.length);
    assert.deepEqual(await blobs.get(digest), data);
    assert.equal(filesUnder(root).length, 1);
  });

  void it("sweeps temporary files a crash left behind, leaving recent ones and blobs", async () => {
    const root = freshDir();
    const blobs = new FsBlobStore(root);
    const data = Buffer.from("kept");
    await blobs.put(sha256Digest(data), data);
    mkdirSync(join(root, "sha256", "ab"), { recursive: true });
    const stale = join(root, "sha256", "ab", ".tmp-1-stale");
    const fresh = join(root, "sha256", "ab", ".tmp-1-fresh");
    writeFileSync(stale, "partial");
    writeFileSync(fresh, "partial");
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(stale, old, old);
    assert.equal(await blobs.removeStaleTemporaryFiles(), 1);
    assert.equal(filesUnder(root).length, 2);
    assert.deepEqual(await blobs.get(sha256Digest(data)), data);
    assert.equal(await new FsBlobStore(freshDir()).removeStaleTemporaryFiles(), 0);
  });

  void it("refuses a malformed digest", async () => {
    const blobs = new FsBlobStore(freshDir());
    await assert.rejects(blobs.put("sha256:XYZ", Buffer.from("x")), { code: "BAD_INPUT" });
    await assert.rejects(blobs.put("../../etc/passwd", Buffer.from("x")), { code: "BAD_INPUT" });
    assert.equal(await blobs.has("sha256:../x"), false);
    assert.equal(await blobs.get("md5:abc"), undefined);
  });
});
