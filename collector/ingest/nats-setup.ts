import type { NatsConnection } from "@nats-io/transport-node";
import type { ConsumerConfig, JetStreamManager, StreamConfig, StreamInfo } from "@nats-io/jetstream";
import { ConfigError, UnavailableError, errorMessage } from "../../core/errors.js";
import { loadNats } from "../../core/load-nats.js";
import { NATS_BLOB_BUCKET, NATS_DEAD_LETTER_SUBJECT_PREFIX, NATS_EVENT_SUBJECT_PREFIX } from "../../core/nats-names.js";
import type { CollectorOptions } from "../collector-options.js";

export type NatsSetupOptions = Pick<
  CollectorOptions,
  | "natsStream"
  | "natsConsumer"
  | "natsDeadLetterStream"
  | "natsRetention"
  | "natsStorage"
  | "natsReplicas"
  | "natsMaxAgeMs"
  | "natsMaxBytes"
  | "natsDuplicateWindowMs"
  | "natsMaxDeliver"
  | "natsAckWaitMs"
  | "natsMaxAckPending"
  | "maxArchiveBytes"
>;

export interface SetupLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const ms = (n: number): number => n * 1_000_000; // JetStream durations are nanoseconds

/**
 * Creates the events stream, the dead-letter stream, the shared durable pull consumer and the
 * code-archive object store, or checks and updates them when they exist. Safe to run from
 * several collectors at once. Throws ConfigError when an existing stream cannot take our
 * options (retention and storage are fixed once a stream exists).
 */
export async function ensureNatsResources(nc: NatsConnection, jsm: JetStreamManager, o: NatsSetupOptions, log: SetupLogger): Promise<void> {
  const { RetentionPolicy, StorageType, DiscardPolicy, AckPolicy, DeliverPolicy } = (await loadNats()).jetstream;
  const storage = o.natsStorage === "memory" ? StorageType.Memory : StorageType.File;
  const events: Partial<StreamConfig> & { name: string } = {
    name: o.natsStream,
    subjects: [`${NATS_EVENT_SUBJECT_PREFIX}.>`],
    retention: o.natsRetention === "workqueue" ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage,
    num_replicas: o.natsReplicas,
    max_age: ms(o.natsMaxAgeMs),
    max_bytes: o.natsMaxBytes,
    duplicate_window: ms(o.natsDuplicateWindowMs),
    // Full means publishes fail (the agent spools), never that unconsumed events are dropped.
    discard: DiscardPolicy.New,
  };
  await ensureStream(jsm, events, log);
  await ensureStream(
    jsm,
    {
      name: o.natsDeadLetterStream,
      subjects: [`${NATS_DEAD_LETTER_SUBJECT_PREFIX}.>`],
      retention: RetentionPolicy.Limits,
      storage,
      num_replicas: o.natsReplicas,
      max_age: ms(o.natsMaxAgeMs),
      max_bytes: o.natsMaxBytes,
      duplicate_window: ms(o.natsDuplicateWindowMs),
      discard: DiscardPolicy.Old,
    },
    log,
  );
  const consumer: Partial<ConsumerConfig> = {
    durable_name: o.natsConsumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${NATS_EVENT_SUBJECT_PREFIX}.>`,
    max_deliver: o.natsMaxDeliver,
    ack_wait: ms(o.natsAckWaitMs),
    max_ack_pending: o.natsMaxAckPending,
  };
  await ensureConsumer(jsm, o.natsStream, consumer, log);
  try {
    const { Objm } = (await loadNats()).obj;
    await new Objm(nc).create(NATS_BLOB_BUCKET, { storage, replicas: o.natsReplicas, max_bytes: Math.max(o.natsMaxBytes, o.maxArchiveBytes) });
  } catch (err) {
    log.warn({ err: errorMessage(err), bucket: NATS_BLOB_BUCKET }, "cannot create the blob object store; code archives and cached outputs sent over NATS will be missing");
  }
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (/not found/i.test(errorMessage(err))) return undefined;
    throw new UnavailableError(`cannot read JetStream stream ${name}: ${errorMessage(err)}`, { cause: err });
  }
}

async function ensureStream(jsm: JetStreamManager, want: Partial<StreamConfig> & { name: string }, log: SetupLogger): Promise<void> {
  let info = await streamInfo(jsm, want.name);
  if (!info) {
    try {
      await jsm.streams.add(want);
      log.info({ stream: want.name, subjects: want.subjects }, "created JetStream stream");
      return;
    } catch (err) {
      // Another collector may have created it a moment ago: check what is there.
      info = await streamInfo(jsm, want.name);
      if (!info) throw new UnavailableError(`cannot create JetStream stream ${want.name}: ${errorMessage(err)}`, { cause: err });
    }
  }
  const have = info.config;
  for (const key of ["retention", "storage"] as const) {
    if (have[key] !== want[key]) {
      throw new ConfigError(
        `JetStream stream ${want.name} exists with ${key} ${have[key]}, but the collector is configured for ${want[key]}; ${key} cannot change on an existing stream (use another natsStream name, or recreate it)`,
      );
    }
  }
  const changed = (["subjects", "num_replicas", "max_age", "max_bytes", "duplicate_window", "discard"] as const).filter(
    (k) => JSON.stringify(have[k]) !== JSON.stringify(want[k]),
  );
  if (changed.length === 0) return;
  try {
    await jsm.streams.update(want.name, { ...have, ...want });
    log.info({ stream: want.name, changed }, "updated JetStream stream to the collector's options");
  } catch (err) {
    throw new ConfigError(`JetStream stream ${want.name} differs from the collector's options in ${changed.join(", ")} and cannot be updated: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

async function ensureConsumer(jsm: JetStreamManager, stream: string, want: Partial<ConsumerConfig>, log: SetupLogger): Promise<void> {
  const name = want.durable_name!;
  let have: ConsumerConfig | undefined;
  try {
    have = (await jsm.consumers.info(stream, name)).config;
  } catch (err) {
    if (!/not found/i.test(errorMessage(err))) throw new UnavailableError(`cannot read JetStream consumer ${name}: ${errorMessage(err)}`, { cause: err });
  }
  if (!have) {
    try {
      await jsm.consumers.add(stream, want);
      log.info({ stream, consumer: name }, "created durable JetStream consumer");
      return;
    } catch (err) {
      have = (await jsm.consumers.info(stream, name).catch(() => undefined))?.config;
      if (!have) throw new UnavailableError(`cannot create JetStream consumer ${name} on ${stream}: ${errorMessage(err)}`, { cause: err });
    }
  }
  if (have.filter_subject !== want.filter_subject || have.ack_policy !== want.ack_policy) {
    throw new ConfigError(`JetStream consumer ${name} on ${stream} exists with filter ${have.filter_subject} and ack policy ${have.ack_policy}; the collector needs ${want.filter_subject}, explicit`);
  }
  const changed = (["max_deliver", "ack_wait", "max_ack_pending"] as const).filter((k) => have[k] !== want[k]);
  if (changed.length === 0) return;
  try {
    await jsm.consumers.update(stream, name, { max_deliver: want.max_deliver, ack_wait: want.ack_wait, max_ack_pending: want.max_ack_pending });
    log.info({ stream, consumer: name, changed }, "updated JetStream consumer to the collector's options");
  } catch (err) {
    log.warn({ stream, consumer: name, changed, err: errorMessage(err) }, "JetStream consumer differs from the collector's options and could not be updated; using it as it is");
  }
}
