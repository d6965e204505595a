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

/**
 * When a stored snapshot names a code archive the blob store lacks, copies it from the
 * JetStream object store (where an agent on NATS put it). Best effort: the event is stored and
 * acked already; a missing archive only limits file-level diffs and restore, and is logged.
 */
export function copyArchiveFromObjectStore(nc: NatsConnection, blobs: BlobStore, event: SnapshotEvent, log: Logger): Promise<void> | undefined {
  const digest = event.snapshotCaptured?.code?.archiveDigest;
  if (!digest || !DIGEST_PATTERN.test(digest)) return undefined;
  return (async () => {
    if (await blobs.has(digest)) return;
    let bucket = buckets.get(nc);
    if (!bucket) {
      bucket = loadNats().then(({ obj }) => new obj.Objm(nc).open(NATS_BLOB_BUCKET));
      buckets.set(nc, bucket);
    }
    const object = await (await bucket).get(digest);
    if (!object) {
      log.warn({ digest, runId: event.runId }, "code archive named by a snapshot is not in the NATS object store");
      return;
    }
    const stored = await blobs.put(digest, object.data);
    const failed = await object.error;
    if (failed) throw failed;
    log.debug({ digest, bytes: stored.bytes }, "code archive copied from the NATS object store");
  })().catch((err: unknown) => {
    buckets.delete(nc);
    log.warn({ digest, err: errorMessage(err) }, "copying a code archive from the NATS object store failed");
  });
}
