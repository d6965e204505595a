import type { Logger } from "pino";
import type { JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { backoffDelay, type BackoffPolicy } from "../../core/backoff.js";
import { UnavailableError, errorMessage } from "../../core/errors.js";
import { loadNats } from "../../core/load-nats.js";
import { natsAuthOptions } from "../../core/nats-credentials.js";
import type { SnapshotEvent } from "../../core/model.js";
import { decodeEvent } from "../../proto/event-codec.js";
import type { BlobStore } from "../blobs/blob-store.js";
import type { CollectorOptions } from "../collector-options.js";
import { isStoreOutage } from "../store/is-store-outage.js";
import type { Store } from "../store/store.js";
import type { EventBatcher, IngestAck } from "./event-batcher.js";
import { findInvalidUtf8 } from "./find-invalid-utf8.js";
import { NatsDeadLetters } from "./nats-dead-letters.js";
import { archiveDigestsOf, copyBlobsFromObjectStore, serveHasDigests, storedOutputDigestsOf } from "./nats-digests.js";
import { ensureNatsResources, type NatsSetupOptions } from "./nats-setup.js";
import { StoreOutage } from "./store-outage.js";

export type NatsIngestOptions = NatsSetupOptions & Pick<CollectorOptions, "natsNakDelayMs" | "maxMessageBytes" | "natsUser" | "natsPasswordFile"> & { nats: string };

export interface NatsIngestDeps {
  batcher: EventBatcher;
  store: Store;
  blobs: BlobStore;
  logger: Logger;
}

export interface RunningNatsIngest {
  /** Resolves when the connection to NATS answers a round trip now; throws UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  /** Stops pulling, finishes (acks or naks) every message taken, then closes the connection. */
  close(): Promise<void>;
}

/**
 * JetStream's redelivery delay for an event the store refused by itself, growing with its
 * deliveries. Not jittered: natsMaxDeliver times these delays is how long a poison event takes to
 * reach the dead letters, and an operator should be able to work that out.
 */
function nakBackoff(options: NatsIngestOptions): BackoffPolicy {
  return { initialMs: options.natsNakDelayMs, maxMs: 30_000, multiplier: 2, jitter: "none" };
}
/** Retries of a store that is down: up to 5 s, so ingest resumes within seconds of its return; jittered, since every replica retries the same store. */
function storeRetryBackoff(options: NatsIngestOptions): BackoffPolicy {
  return { initialMs: Math.max(1, options.natsNakDelayMs), maxMs: 5_000, multiplier: 2, jitter: "full" };
}
/** Pulls again after a failed pull (NATS away or restarting), jittered like every reconnect. */
const PULL_RETRY: BackoffPolicy = { initialMs: 250, maxMs: 5_000, multiplier: 2, jitter: "full" };
/** How long one pull request stays open waiting for messages (nats.js needs at least 1 s). */
const FETCH_EXPIRES_MS = 5_000;
const FETCH_MAX_MESSAGES = 512;
/** How long a finish event waits for its cached outputs to be copied from the object store before it is stored anyway. */
const BLOB_COPY_WAIT_MS = 30_000;

/**
 * Consumes events from JetStream with the durable pull consumer every collector shares. A
 * message is acked only after the EventBatcher committed it (STORED or DUPLICATE). One that can
 * never be stored (too large, undecodable, invalid UTF-8, REJECTED) goes to the dead-letter
 * stream with the reason in a header, then is terminated.
 *
 * A store outage (isStoreOutage: ClickHouse down, SQLite locked or full) is not the message's
 * fault and must not use up its deliveries: JetStream counts every redelivery, a nak'd one
 * included, and stops at max_deliver, so naking through an outage would dead-letter good events
 * after natsMaxDeliver tries. Instead the collector keeps what it holds:
 * it stops pulling, extends each held message's ack wait with `working()` (+WPI, no redelivery,
 * no count) and retries the commit in-process with backoff until the store answers, then acks.
 * If this collector dies meanwhile, its messages' ack wait runs out and JetStream delivers them
 * to another collector: nothing is lost (that costs one delivery per crash, not per retry).
 *
 * Only failures that are the message's own (the store refused that event by itself) are naked
 * with a growing delay and dead-lettered at natsMaxDeliver deliveries. A store call that hangs
 * longer than the ack wait is no longer kept alive, so a collector stuck on a message lets
 * JetStream redeliver it and, at max_deliver, the advisory dead-letters it. nats.js is loaded
 * here, lazily.
 */
export async function startNatsIngest(deps: NatsIngestDeps, options: NatsIngestOptions): Promise<RunningNatsIngest> {
  const nats = await loadNats();
  const { connect } = nats.transport;
  const { jetstream, jetstreamManager } = nats.jetstream;
  const log = deps.logger.child({ component: "nats" });
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: options.nats.split(",").map((s) => s.trim()),
      name: "snaptrail-collector",
      ...natsAuthOptions(options),
      // A long-running server: ride out NATS restarts for as long as they take.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
  } catch (err) {
    throw new UnavailableError(`cannot reach NATS at ${options.nats}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    const jsm = await jetstreamManager(nc);
    await ensureNatsResources(nc, jsm, options, log);
    const js = jetstream(nc);
    const deadLetters = new NatsDeadLetters(js, jsm, options, log);
    const consumer = await js.consumers.get(options.natsStream, options.natsConsumer);
    const digestService = serveHasDigests(nc, deps, log);
    const advisories = deadLetters.watchMaxDeliveries(nc);
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === "disconnect" || s.type === "reconnect") log.warn({ status: s.type, server: "server" in s ? s.server : undefined }, `NATS ${s.type}`);
      }
    })().catch(() => undefined);

    let closing = false;
    let inFlight = 0;
    let wake: (() => void) | undefined;
    const signal = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const changed = () => new Promise<void>((resolve) => (wake = resolve));
    const background = new Set<Promise<void>>();
    const maxInFlight = Math.max(1, Math.min(options.natsMaxAckPending, 1024));
    // The consumer's own ack wait (an existing consumer may keep another), in ms.
    const ackWaitMs = Math.max(1000, Math.floor(((await consumer.info(true)).config.ack_wait ?? options.natsAckWaitMs * 1e6) / 1e6));
    const outage = new StoreOutage(storeRetryBackoff(options), log, signal);
    /** Every message taken and not yet finished; `callSince` while a store call for it runs. */
    const held = new Map<JsMsg, { callSince: number | undefined }>();
    const keepAlive = setInterval(
      () => {
        const now = performance.now();
        for (const [m, h] of held) if (h.callSince === undefined || now - h.callSince < ackWaitMs) m.working();
      },
      Math.max(100, Math.floor(ackWaitMs / 3)),
    );
    keepAlive.unref();

    const store = async (m: JsMsg, event: SnapshotEvent, rejection: string | undefined): Promise<IngestAck | undefined> => {
      const h = held.get(m)!;
      for (;;) {
        try {
          h.callSince = performance.now();
          const ack = await deps.batcher.submit(event, rejection);
          outage.over();
          return ack;
        } catch (err) {
          if (!isStoreOutage(err)) throw err;
          if (closing) {
            m.nak(); // another collector (or this one, restarted) takes it now, not after ack_wait
            return undefined;
          }
          outage.begin(err, held.size);
        } finally {
          h.callSince = undefined;
        }
        await outage.nextTry();
      }
    };

    const handle = async (m: JsMsg): Promise<void> => {
      const deliveries = m.info.deliveryCount;
      if (m.data.length > options.maxMessageBytes) {
        await deadLetters.send(m, `too large: ${m.data.length} bytes, over the collector's limit of ${options.maxMessageBytes} (maxMessageBytes)`);
        return;
      }
      let event: SnapshotEvent;
      try {
        event = decodeEvent(m.data);
      } catch (err) {
        await deadLetters.send(m, `undecodable: not a snaptrail.v1.Event (${errorMessage(err)})`);
        return;
      }
      const badUtf8 = findInvalidUtf8("Event", m.data);
      await copyOutputsBeforeStoring(event);
      let outcome;
      try {
        outcome = await store(m, event, badUtf8 === undefined ? undefined : `string field ${badUtf8} is not valid UTF-8`);
        if (!outcome) return;
      } catch (err) {
        // The store answered and refused this event: the message's own fault, so it counts.
        if (deliveries >= options.natsMaxDeliver) {
          await deadLetters.send(m, `not stored after ${deliveries} deliveries (natsMaxDeliver): ${errorMessage(err)}`);
        } else {
          // Never ack what is not stored: JetStream delivers it again after the delay.
          m.nak(backoffDelay(nakBackoff(options), deliveries - 1));
        }
        return;
      }
      if (outcome.outcome === "REJECTED") {
        log.info({ eventId: outcome.eventId, error: outcome.error, seq: m.seq }, "event rejected");
        await deadLetters.send(m, `rejected: ${outcome.error}`);
        return;
      }
      m.ack();
      // The archive only serves diffs and restore, which can wait: copied after the ack.
      void inBackground(copyBlobsFromObjectStore(nc, deps.blobs, archiveDigestsOf(event), event.runId, log));
    };

    const inBackground = (copy: Promise<void> | undefined): Promise<void> | undefined => {
      if (copy) {
        background.add(copy);
        void copy.finally(() => background.delete(copy));
      }
      return copy;
    };
    // A cached run's outputs first, then its finish event: once the run shows as finished, a cache
    // lookup finds its outputs in the blob store. A slow copy holds the event at most
    // BLOB_COPY_WAIT_MS, then finishes in the background.
    const copyOutputsBeforeStoring = async (event: SnapshotEvent): Promise<void> => {
      const copy = inBackground(copyBlobsFromObjectStore(nc, deps.blobs, storedOutputDigestsOf(event), event.runId, log));
      if (!copy) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([copy, new Promise<void>((resolve) => (timer = setTimeout(resolve, BLOB_COPY_WAIT_MS)))]);
      clearTimeout(timer);
    };

    const take = (m: JsMsg): void => {
      inFlight++;
      held.set(m, { callSince: undefined });
      void handle(m)
        .catch((err: unknown) => {
          log.error({ err: errorMessage(err), seq: m.seq }, "handling a NATS message failed; it will be delivered again");
          m.nak(options.natsNakDelayMs);
        })
        .finally(() => {
          held.delete(m);
          inFlight--;
          signal();
        });
    };

    // Pull requests sized to the free slots, instead of consume(): consume() keeps pulling while
    // messages wait unprocessed in its buffer, where no working() reaches them, so in an outage
    // their ack wait would run out and burn deliveries. Here every delivered message is held and
    // kept alive at once, and no pull is made while the store is down.
    let current: { close(): Promise<void | Error> } | undefined;
    const loop = (async () => {
      let failures = 0;
      while (!closing) {
        while (!closing && (inFlight >= maxInFlight || outage.down)) await changed();
        if (closing) break;
        try {
          const batch = await consumer.fetch({ max_messages: Math.min(FETCH_MAX_MESSAGES, maxInFlight - inFlight), expires: FETCH_EXPIRES_MS });
          current = batch;
          for await (const m of batch) {
            if (closing) m.nak();
            else take(m);
          }
          failures = 0;
        } catch (err) {
          if (closing) break;
          failures++;
          if (failures === 1 || failures % 20 === 0) log.warn({ err: errorMessage(err), failures }, "pulling from JetStream failed; pulling again");
          await new Promise((resolve) => setTimeout(resolve, backoffDelay(PULL_RETRY, failures - 1)));
        } finally {
          current = undefined;
        }
      }
    })();

    log.info({ url: options.nats, stream: options.natsStream, consumer: options.natsConsumer }, "consuming events from NATS JetStream");

    let closed: Promise<void> | undefined;
    return {
      async ping() {
        try {
          await nc.rtt();
        } catch (err) {
          throw new UnavailableError(`NATS at ${options.nats} is not reachable: ${errorMessage(err)}`, { cause: err });
        }
      },
      close() {
        closed ??= (async () => {
          closing = true;
          signal();
          outage.close();
          await current?.close().catch(() => undefined);
          await loop.catch(() => undefined);
          while (inFlight > 0) await changed();
          clearInterval(keepAlive);
          await Promise.allSettled([...background]);
          digestService.unsubscribe();
          advisories.unsubscribe();
          await nc.drain().catch(() => nc.close());
          log.info({}, "NATS ingest stopped");
        })();
        return closed;
      },
    };
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw err;
  }
}
