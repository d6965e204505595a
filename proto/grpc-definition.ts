import type { ServiceDefinition } from "@grpc/grpc-js";
import type { ProtoGrpcType } from "./generated/collector.js";
import { COLLECTOR_PROTO, DECODE_OPTIONS, PROTO_DIR } from "./proto-files.js";

let cached: Promise<{ proto: ProtoGrpcType; service: ServiceDefinition }> | undefined;

/** Loads @grpc/grpc-js and the Collector service lazily: only the gRPC paths pay for it. */
export function loadCollectorGrpc(): Promise<{ proto: ProtoGrpcType; service: ServiceDefinition }> {
  cached ??= (async () => {
    const [grpc, loader] = await Promise.all([import("@grpc/grpc-js"), import("@grpc/proto-loader")]);
    const definition = loader.loadSync(COLLECTOR_PROTO, { ...DECODE_OPTIONS, includeDirs: [PROTO_DIR] });
    const proto = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
    return { proto, service: proto.snaptrail.v1.Collector.service };
  })();
  return cached;
}
