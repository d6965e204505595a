import type { Logger } from "pino";
import type { ObjectStore } from "@nats-io/obj";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { DIGEST_PATTERN } from "../../core/digest.js";
import { errorMessage } from "../../core/errors.js";
import type { SnapshotEvent } from "../../core/model.js";
import { loadNats } from "../../core/load-nats.js";
import { NATS_BLOB_BUCKET, NATS_HAS_DIGESTS_SUBJECT } from "../../core/nats-names.js";
import { decodeMessage, encodeMessage } from "../../proto/event-codec.js";
import type { HasDigestsRequest__Output } from "../../proto/generated/snaptrail/v1/HasDigestsRequest.js";
import type { BlobStore } from "../blobs/blob-store.js";
import type { Store } from "../store/store.js";

const MAX_DIGESTS_PER_REQUEST = 10_000;

/**
 * HasDigests over NATS request/reply, so an agent publishing to JetStream sends snapshot bodies
 * once, as over gRPC. Every collector serves it in one queue group: one answers each request.
 * A request that cannot be read gets an empty answer (the agent then sends every body).
 */
export function serveHasDigests(nc: NatsConnection, deps: { store: Store; blobs: BlobStore }, log: Logger): Subscription {
  return nc.subscribe(NATS_HAS_DIGESTS_SUBJECT, {
    queue: "snaptrail-collectors",
    callback: (err, msg) => {
      if (err) return;
      void (async () => {
        let digests: string[] = [];
        try {
          digests = decodeMessage<HasDigestsRequest__Output>("HasDigestsRequest", msg.data).digests ?? [];
        } catch {
          // answered with nothing present
        }
        const wanted = [...new Set(digests.slice(0, MAX_DIGESTS_PER_REQUEST).filter((d) => DIGEST_PATTERN.test(d)))];
        const snapshots = wanted.length > 0 ? await deps.store.hasSnapshots(wanted) : new Set<string>();
        const rest = wanted.filter((d) => !snapshots.has(d));
        const blobs = await Promise.all(rest.map((d) => deps.blobs.has(d)));
        const present = [...snapshots, ...rest.filter((_, i) => blobs[i])];
        msg.respond(encodeMessage("HasDigestsResponse", { present }));
      })().catch((e: unknown) => log.warn({ err: errorMessage(e) }, "answering a NATS digest query failed"));
    },
  });
}

const buckets = new WeakMap<NatsConnection, Promise<ObjectStore>>();

/** The code archive a snapshot event names (none: []). */
export function archiveDigestsOf(event: SnapshotEvent): string[] {
  const digest = event.snapshotCaptured?.code?.archiveDigest ?? "";
  return DIGEST_PATTERN.test(digest) ? [digest] : [];
}

/** The outputs a finish event says were uploaded (wrap --cache): what makes the run a cache source. */
export function storedOutputDigestsOf(event: SnapshotEvent): string[] {
  const outputs = event.runFinished?.outputs ?? [];
  return [...new Set(outputs.filter((o) => o.stored && DIGEST_PATTERN.test(o.digest)).map((o) => o.digest))];
}

/**
 * Copies the blobs the blob store lacks (a code archive, a cached run's outputs) from the
 * JetStream object store, where an agent on NATS put them. Over gRPC the agent puts blobs straight
 * into the blob store; over NATS this copy is what brings them there, so restore and the cache
 * work the same whatever blob store the collector uses (one that already holds a digest copies
 * nothing). Best effort and never rejects: a missing blob only limits diffs, restore and cache
 * hits (a cache lookup checks presence), and is logged.
 */
export function copyBlobsFromObjectStore(nc: NatsConnection, blobs: BlobStore, digests: readonly string[], runId: string, log: Logger): Promise<void> | undefined {
  if (digests.length === 0) return undefined;
  return (async () => {
    // One at a time: memory holds one blob's chunks at most.
    for (const digest of digests) {
      try {
        if (await blobs.has(digest)) continue;
        let bucket = buckets.get(nc);
        if (!bucket) {
          bucket = loadNats().then(({ obj }) => new obj.Objm(nc).open(NATS_BLOB_BUCKET));
          buckets.set(nc, bucket);
        }
        const object = await (await bucket).get(digest);
        if (!object) {
          log.warn({ digest, runId }, "blob named by an event is not in the NATS object store");
          continue;
        }
        const stored = await blobs.put(digest, object.data);
        const failed = await object.error;
        if (failed) throw failed;
        log.debug({ digest, bytes: stored.bytes }, "blob copied from the NATS object store");
      } catch (err) {
        buckets.delete(nc);
        log.warn({ digest, runId, err: errorMessage(err) }, "copying a blob from the NATS object store failed");
      }
    }
  })();
}
