import type { ServiceDefinition } from "@grpc/grpc-js";
import type { ProtoGrpcType as CollectorProto } from "./generated/collector.js";
import type { ProtoGrpcType as QueryProto } from "./generated/query.js";
import { shareCodecs } from "./event-codec.js";
import { DECODE_OPTIONS, serverDescriptor } from "./proto-files.js";

/** Both services of the contract: Collector (agents publish) and Query (programs read). */
export type SnaptrailProto = CollectorProto & QueryProto;

export interface SnaptrailGrpc {
  proto: SnaptrailProto;
  /** snaptrail.v1.Collector */
  service: ServiceDefinition;
  /** snaptrail.v1.Query */
  queryService: ServiceDefinition;
}

let cached: Promise<SnaptrailGrpc> | undefined;

/** Loads @grpc/grpc-js and the services lazily: only the gRPC paths pay for it. */
export function loadCollectorGrpc(): Promise<SnaptrailGrpc> {
  cached ??= (async () => {
    // `.default` is module.exports for these CommonJS packages, in Node and in the bundle alike.
    const [grpc, loader] = (await Promise.all([import("@grpc/grpc-js"), import("@grpc/proto-loader")])).map((m) => m.default) as [
      typeof import("@grpc/grpc-js"),
      typeof import("@grpc/proto-loader"),
    ];
    const definition = loader.fromJSON(serverDescriptor(), DECODE_OPTIONS);
    shareCodecs(definition);
    const proto = grpc.loadPackageDefinition(definition) as unknown as SnaptrailProto;
    return { proto, service: proto.snaptrail.v1.Collector.service, queryService: proto.snaptrail.v1.Query.service };
  })();
  return cached;
}
