import type { Logger } from "pino";
import type { JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { UnavailableError, errorMessage } from "../../core/errors.js";
import { loadNats } from "../../core/load-nats.js";
import type { SnapshotEvent } from "../../core/model.js";
import { decodeEvent } from "../../proto/event-codec.js";
import type { BlobStore } from "../blobs/blob-store.js";
import type { CollectorOptions } from "../collector-options.js";
import type { Store } from "../store/store.js";
import type { EventBatcher } from "./event-batcher.js";
import { findInvalidUtf8 } from "./find-invalid-utf8.js";
import { NatsDeadLetters } from "./nats-dead-letters.js";
import { copyArchiveFromObjectStore, serveHasDigests } from "./nats-digests.js";
import { ensureNatsResources, type NatsSetupOptions } from "./nats-setup.js";

export type NatsIngestOptions = NatsSetupOptions & Pick<CollectorOptions, "natsNakDelayMs" | "maxMessageBytes"> & { nats: string };

export interface NatsIngestDeps {
  batcher: EventBatcher;
  store: Store;
  blobs: BlobStore;
  logger: Logger;
}

export interface RunningNatsIngest {
  /** Stops pulling, finishes (acks or naks) every message taken, then closes the connection. */
  close(): Promise<void>;
}

const MAX_NAK_DELAY_MS = 30_000;

/**
 * Consumes events from JetStream with the durable pull consumer every collector shares. A
 * message is acked only after the EventBatcher committed it (STORED or DUPLICATE). One that can
 * never be stored (too large, undecodable, invalid UTF-8, REJECTED) goes to the dead-letter
 * stream with the reason in a header, then is terminated. A store failure naks it with a
 * growing delay; after natsMaxDeliver deliveries it is dead-lettered too, so nothing loops
 * forever and nothing is dropped without a record. nats.js is loaded here, lazily.
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
    const background = new Set<Promise<void>>();
    const maxInFlight = Math.max(1, Math.min(options.natsMaxAckPending, 1024));

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
      let outcome;
      try {
        outcome = await deps.batcher.submit(event, badUtf8 === undefined ? undefined : `string field ${badUtf8} is not valid UTF-8`);
      } catch (err) {
        if (deliveries >= options.natsMaxDeliver) {
          await deadLetters.send(m, `not stored after ${deliveries} deliveries (natsMaxDeliver): ${errorMessage(err)}`);
        } else {
          // Never ack what is not stored: JetStream delivers it again after the delay.
          m.nak(Math.min(MAX_NAK_DELAY_MS, options.natsNakDelayMs * 2 ** (deliveries - 1)));
        }
        return;
      }
      if (outcome.outcome === "REJECTED") {
        log.info({ eventId: outcome.eventId, error: outcome.error, seq: m.seq }, "event rejected");
        await deadLetters.send(m, `rejected: ${outcome.error}`);
        return;
      }
      m.ack();
      const copy = copyArchiveFromObjectStore(nc, deps.blobs, event, log);
      if (copy) {
        background.add(copy);
        void copy.finally(() => background.delete(copy));
      }
    };

    const messages = await consumer.consume({ max_messages: Math.min(maxInFlight, 512) });
    const loop = (async () => {
      for await (const m of messages) {
        if (closing) {
          m.nak(); // another collector takes it now, not after ack_wait
          continue;
        }
        inFlight++;
        void handle(m)
          .catch((err: unknown) => {
            log.error({ err: errorMessage(err), seq: m.seq }, "handling a NATS message failed; it will be delivered again");
            m.nak(options.natsNakDelayMs);
          })
          .finally(() => {
            inFlight--;
            wake?.();
          });
        while (inFlight >= maxInFlight) await new Promise<void>((resolve) => (wake = resolve));
      }
    })();

    log.info({ url: options.nats, stream: options.natsStream, consumer: options.natsConsumer }, "consuming events from NATS JetStream");

    let closed: Promise<void> | undefined;
    return {
      close() {
        closed ??= (async () => {
          closing = true;
          await messages.close().catch(() => undefined);
          await loop.catch(() => undefined);
          while (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
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
