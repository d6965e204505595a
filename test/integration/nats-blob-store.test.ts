// The NATS JetStream object store as the collectors' BlobStore, against a real nats-server: the
// same contract the folder passes; two collectors with separate folders share blobs through it
// (what a Kubernetes deployment of N replicas with no shared volume relies on); and bytes changed
// in the bucket behind the collectors' back are refused, never served.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { BlobStore } from "../../collector/blobs/blob-store.js";
import { createBlobStore } from "../../collector/blobs/create-blob-store.js";
import { NatsObjectBlobStore } from "../../collector/blobs/nats-object-blob-store.js";
import { sha256Digest } from "../../core/digest.js";
import { loadNats } from "../../core/load-nats.js";
import { blobStoreContract } from "../contract/blob-store-contract.js";
import { collectorClient, putBlob } from "../helpers/collector-grpc-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { snaptrailError } from "../helpers/snaptrail-error.js";

const dir = mkdtempSync(join(tmpdir(), "snaptrail-natsblobs-"));
let nats: NatsServer;
before(async () => {
  nats = await startNatsServer();
});
after(async () => {
  await nats?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Objects in a bucket, read with a separate client (what the store kept, outside its API). */
async function objectsIn(bucket: string): Promise<number> {
  const { transport, obj } = await loadNats();
  const nc = await transport.connect({ servers: nats.url });
  try {
    const os = await new obj.Objm(nc).open(bucket);
    return (await os.list()).filter((o) => !o.deleted).length;
  } finally {
    await nc.close();
  }
}

let n = 0;
const buckets = new WeakMap<BlobStore, { bucket: string; staging: string }>();
blobStoreContract("a NATS JetStream object store (NatsObjectBlobStore)", () =>
  Promise.resolve({
    open: async (maxBytes) => {
      const bucket = `contract-${++n}`;
      const staging = mkdtempSync(join(dir, "staging-"));
      const blobs = await NatsObjectBlobStore.open({ url: nats.url, bucket, replicas: 1, maxBytes, maxBucketBytes: -1, stagingDir: staging });
      buckets.set(blobs, { bucket, staging });
      return blobs;
    },
    // Objects in the bucket, plus anything an upload left in its staging folder.
    kept: async (blobs) => {
      const { bucket, staging } = buckets.get(blobs)!;
      return (await objectsIn(bucket)) + readdirSync(staging).length;
    },
  }),
);

void describe("collectors on a NATS object store", () => {
  let a: CollectorProcess;
  let b: CollectorProcess;
  before(async () => {
    // Separate folders: nothing is shared but NATS.
    const start = (name: string) =>
      startCollectorProcess({ blobDir: join(dir, `${name}-blobs`), args: ["--nats", nats.url, "--blob-store", "nats"] });
    [a, b] = await Promise.all([start("a"), start("b")]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  void it("serves from one replica the archive another one received, with no shared folder", async () => {
    const archive = Buffer.from("a code archive, sent to collector A\n".repeat(20_000));
    const digest = sha256Digest(archive);
    const client = await collectorClient(a.grpcAddress);
    try {
      const put = await putBlob(client, digest, archive);
      assert.equal(put.alreadyPresent, false);
    } finally {
      client.close();
    }
    const res = await fetch(`${b.httpUrl}/api/v1/blobs/${encodeURIComponent(digest)}`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), archive);
    assert.deepEqual(readdirSync(join(dir, "b-blobs")).filter((f) => f !== "sha256"), [], "B kept nothing of its own");
    // B knows it has it: an agent asking B would not send it again.
    const clientB = await collectorClient(b.grpcAddress);
    try {
      assert.equal((await putBlob(clientB, digest, archive)).alreadyPresent, true);
    } finally {
      clientB.close();
    }
  });

  void it("refuses to serve bytes changed in the bucket behind its back", async () => {
    const real = Buffer.from("the archive as it was stored");
    const digest = sha256Digest(real);
    const { transport, obj } = await loadNats();
    const nc = await transport.connect({ servers: nats.url });
    try {
      // Someone with write access to the bucket puts other bytes under that digest's name.
      const os = await new obj.Objm(nc).open("snaptrail-collector-blobs");
      await os.putBlob({ name: digest }, Buffer.from("DROP TABLE runs; -- not the archive"));
    } finally {
      await nc.close();
    }
    const res = await fetch(`${a.httpUrl}/api/v1/blobs/${encodeURIComponent(digest)}`);
    assert.notEqual(res.status, 200);
    const body = await res.text();
    assert.doesNotMatch(body, /DROP TABLE/);
    assert.match(body, /hash/);
  });

  void it("names the missing setting when blob store nats has no NATS server", async () => {
    await assert.rejects(
      startCollectorProcess({ blobDir: join(dir, "c-blobs"), args: ["--blob-store", "nats"], startTimeoutMs: 10_000 }),
      /blobStore.*nats needs the nats option/s,
    );
  });

  void it("chooses the store in one factory: a folder unless NATS is named", async () => {
    const fs = await createBlobStore({ dir: join(dir, "factory") });
    assert.equal(fs.constructor.name, "FsBlobStore");
    await fs.close();
    const onNats = await createBlobStore({ dir: join(dir, "factory"), nats: nats.url, bucket: "factory" });
    assert.ok(onNats instanceof NatsObjectBlobStore);
    await onNats.close();
  });
});

/** Bytes a bucket holds and its JetStream limit, read with a separate client. */
async function bucketUsage(bucket: string): Promise<{ bytes: number; maxBytes: number }> {
  const { transport, obj } = await loadNats();
  const nc = await transport.connect({ servers: nats.url });
  try {
    const status = await (await new obj.Objm(nc).open(bucket)).status();
    return { bytes: status.size, maxBytes: status.streamInfo.config.max_bytes };
  } finally {
    await nc.close();
  }
}

void describe("a NATS object store that fills up (natsBlobMaxBytes)", () => {
  const limit = 512 * 1024;
  const open = (bucket: string, maxBucketBytes: number, staging: string) =>
    NatsObjectBlobStore.open({ url: nats.url, bucket, replicas: 1, maxBytes: 16 * 1024 * 1024, maxBucketBytes, stagingDir: staging });

  void it("refuses a blob that does not fit, naming the setting, and keeps nothing of it", async () => {
    const staging = mkdtempSync(join(dir, "staging-"));
    const blobs = await open("tiny", limit, staging);
    try {
      const first = Buffer.alloc(300 * 1024, "first blob ");
      await blobs.put(sha256Digest(first), first);
      const before = await bucketUsage("tiny");
      assert.equal(before.maxBytes, limit);

      const second = Buffer.alloc(300 * 1024, "second blob ");
      const digest = sha256Digest(second);
      await assert.rejects(blobs.put(digest, second), snaptrailError("UNAVAILABLE", "is full", "natsBlobMaxBytes", String(limit), "nothing of it was stored"));
      assert.equal(await blobs.has(digest), false);
      assert.equal(await blobs.get(digest), undefined);
      assert.equal((await bucketUsage("tiny")).bytes, before.bytes, "no chunk of the refused blob stayed in the bucket");
      assert.deepEqual(readdirSync(staging), [], "nothing left in staging");
      assert.deepEqual(await blobs.get(sha256Digest(first)), first, "the blob stored before is whole");
    } finally {
      await blobs.close();
    }
  });

  void it("undoes a blob the server refuses midway: its bytes fit, its chunks' subjects and headers do not", async () => {
    const staging = mkdtempSync(join(dir, "staging-"));
    const blobs = await open("midway", limit, staging);
    try {
      const first = Buffer.alloc(100 * 1024, "first ");
      await blobs.put(sha256Digest(first), first);
      const before = await bucketUsage("midway");
      // Exactly the room left: several 128 KiB chunks are accepted before the last one is not.
      const exact = Buffer.alloc(limit - before.bytes, "exactly the room left ");
      const digest = sha256Digest(exact);
      await assert.rejects(blobs.put(digest, exact), snaptrailError("UNAVAILABLE", "is full", "natsBlobMaxBytes"));
      assert.equal(await blobs.has(digest), false);
      assert.equal(await blobs.get(digest), undefined);
      assert.equal((await bucketUsage("midway")).bytes, before.bytes, "the chunks that had landed were purged");
      assert.deepEqual(await blobs.get(sha256Digest(first)), first);
    } finally {
      await blobs.close();
    }
  });

  void it("applies a raised limit to the existing bucket, and the refused blob then goes in", async () => {
    const staging = mkdtempSync(join(dir, "staging-"));
    const small = await open("raised", 64 * 1024, staging);
    const blob = Buffer.alloc(100 * 1024, "needs a larger bucket ");
    const digest = sha256Digest(blob);
    try {
      await assert.rejects(small.put(digest, blob), snaptrailError("UNAVAILABLE", "natsBlobMaxBytes"));
    } finally {
      await small.close();
    }
    const larger = await open("raised", limit, staging);
    try {
      assert.equal((await bucketUsage("raised")).maxBytes, limit);
      assert.equal((await larger.put(digest, blob)).alreadyPresent, false);
      assert.deepEqual(await larger.get(digest), blob);
    } finally {
      await larger.close();
    }
  });

  void it("names the option when its value is out of range", async () => {
    const { parseCollectorOptions } = await import("../../collector/collector-options.js");
    assert.throws(() => parseCollectorOptions({ dbPath: join(dir, "x.db"), natsBlobMaxBytes: 0 }), snaptrailError("BAD_CONFIG", "natsBlobMaxBytes", "-1 for no limit"));
  });
});
