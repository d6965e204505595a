import type { ServiceDefinition } from "@grpc/grpc-js";
import type { ProtoGrpcType } from "./generated/collector.js";
import { shareCodecs } from "./event-codec.js";
import { DECODE_OPTIONS, collectorDescriptor } from "./proto-files.js";

let cached: Promise<{ proto: ProtoGrpcType; service: ServiceDefinition }> | undefined;

/** Loads @grpc/grpc-js and the Collector service lazily: only the gRPC paths pay for it. */
export function loadCollectorGrpc(): Promise<{ proto: ProtoGrpcType; service: ServiceDefinition }> {
  cached ??= (async () => {
    // `.default` is module.exports for these CommonJS packages, in Node and in the bundle alike.
    const [grpc, loader] = (await Promise.all([import("@grpc/grpc-js"), import("@grpc/proto-loader")])).map((m) => m.default) as [
      typeof import("@grpc/grpc-js"),
      typeof import("@grpc/proto-loader"),
    ];
    const definition = loader.fromJSON(collectorDescriptor(), DECODE_OPTIONS);
    shareCodecs(definition);
    const proto = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
    return { proto, service: proto.snaptrail.v1.Collector.service };
  })();
  return cached;
}
