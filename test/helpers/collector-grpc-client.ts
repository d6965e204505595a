// A real @grpc/grpc-js client of the Collector service for the collector's tests, plus a raw
// one (identity serializer) that can send bytes which are not a PublishRequest at all.
import * as grpc from "@grpc/grpc-js";
import type { SnapshotEvent } from "../../core/model.js";
import type { CollectorClient } from "../../proto/generated/snaptrail/v1/Collector.js";
import type { PublishAck__Output } from "../../proto/generated/snaptrail/v1/PublishAck.js";
import type { PutBlobResponse__Output } from "../../proto/generated/snaptrail/v1/PutBlobResponse.js";
import { decodeMessage } from "../../proto/event-codec.js";
import { loadCollectorGrpc } from "../../proto/grpc-definition.js";

export async function collectorClient(address: string): Promise<CollectorClient> {
  const { proto } = await loadCollectorGrpc();
  return new proto.snaptrail.v1.Collector(address, grpc.credentials.createInsecure(), {
    "grpc.max_send_message_length": -1,
    "grpc.max_receive_message_length": -1,
  });
}

export interface PublishResult {
  acks: PublishAck__Output[];
  /** The status the stream ended with, when not OK. */
  error?: grpc.ServiceError;
}

/** Opens one Publish stream, writes every event (null: a request without one), half-closes, and collects acks until the end. */
export function publish(client: CollectorClient, events: (SnapshotEvent | null)[], deadlineMs = 15_000): Promise<PublishResult> {
  return new Promise((resolve) => {
    const call = client.publish({ deadline: Date.now() + deadlineMs });
    const acks: PublishAck__Output[] = [];
    call.on("data", (ack: PublishAck__Output) => acks.push(ack));
    let error: grpc.ServiceError | undefined;
    call.on("error", (e: grpc.ServiceError) => (error = e));
    // "status" comes last, after every ack and after "error".
    call.on("status", (status: grpc.StatusObject) => resolve(status.code === grpc.status.OK ? { acks } : { acks, error: error ?? statusError(status) }));
    for (const e of events) call.write(e === null ? {} : { event: e });
    call.end();
  });
}

export function hasDigests(client: CollectorClient, digests: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    client.hasDigests({ digests }, (err, res) => (err || !res ? reject(err ?? new Error("no response")) : resolve(res.present)));
  });
}

export function putBlob(
  client: CollectorClient,
  digest: string,
  data: Buffer,
  o: { chunkBytes?: number; totalBytes?: number } = {},
): Promise<PutBlobResponse__Output> {
  return new Promise((resolve, reject) => {
    const call = client.putBlob((err, res) => (err || !res ? reject(err ?? new Error("no response")) : resolve(res)));
    const size = o.chunkBytes ?? 16 * 1024;
    call.write({ digest, totalBytes: o.totalBytes ?? data.length, data: data.subarray(0, size) });
    for (let i = size; i < data.length; i += size) call.write({ data: data.subarray(i, i + size) });
    call.end();
  });
}

const RawPublish = grpc.makeGenericClientConstructor(
  {
    Publish: {
      path: "/snaptrail.v1.Collector/Publish",
      requestStream: true,
      responseStream: true,
      requestSerialize: (bytes: Buffer) => bytes,
      requestDeserialize: (bytes: Buffer) => bytes,
      responseSerialize: (bytes: Buffer) => bytes,
      responseDeserialize: (bytes: Buffer) => bytes,
    },
  },
  "Collector",
);

/** Sends raw frames on Publish; acks come back decoded. */
export function publishRaw(address: string, frames: Buffer[], deadlineMs = 15_000): Promise<PublishResult> {
  const client = new RawPublish(address, grpc.credentials.createInsecure(), { "grpc.max_send_message_length": -1 });
  return new Promise((resolve) => {
    const call = (client as unknown as { Publish(o: grpc.CallOptions): grpc.ClientDuplexStream<Buffer, Buffer> }).Publish({
      deadline: Date.now() + deadlineMs,
    });
    const acks: PublishAck__Output[] = [];
    const done = (r: PublishResult): void => {
      client.close();
      resolve(r);
    };
    call.on("data", (bytes: Buffer) => acks.push(decodeMessage<PublishAck__Output>("PublishAck", bytes)));
    let error: grpc.ServiceError | undefined;
    call.on("error", (e: grpc.ServiceError) => (error = e));
    call.on("status", (status: grpc.StatusObject) => done(status.code === grpc.status.OK ? { acks } : { acks, error: error ?? statusError(status) }));
    for (const f of frames) call.write(f);
    call.end();
  });
}

function statusError(status: grpc.StatusObject): grpc.ServiceError {
  return Object.assign(new Error(`${status.code} ${status.details}`), status);
}
