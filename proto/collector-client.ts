import { createRequire } from "node:module";
import type { MethodDefinition } from "@grpc/grpc-js";
import type { ProtoGrpcType } from "./generated/collector.js";
import { DECODE_OPTIONS, collectorDescriptor } from "./proto-files.js";

const require = createRequire(import.meta.url);

/** The client class of the Collector service, as `proto.snaptrail.v1.Collector` of the full loader. */
export type CollectorClientClass = ProtoGrpcType["snaptrail"]["v1"]["Collector"];

let cached: Promise<CollectorClientClass> | undefined;

/**
 * The Collector's gRPC client for the agent, built from the descriptor with protobufjs alone.
 * @grpc/proto-loader (which the collector's server keeps: it serves reflection-style message
 * definitions) also turns every message into a DescriptorProto and encodes the file descriptors,
 * running descriptor.proto's generated code: a client needs none of that, and it cost every
 * agent start some 50 ms of CPU. The wire form and decoded values are the loader's: serialize is
 * encode(fromObject(value)), deserialize is toObject(decode(bytes), DECODE_OPTIONS).
 */
export function loadCollectorClient(): Promise<CollectorClientClass> {
  cached ??= (async () => {
    const grpc = (await import("@grpc/grpc-js")).default;
    const protobuf = require("protobufjs") as typeof import("protobufjs");
    const root = protobuf.Root.fromJSON(collectorDescriptor());
    root.resolveAll();
    const service = root.lookupService("snaptrail.v1.Collector");
    const definition: Record<string, MethodDefinition<object, object>> = {};
    for (const method of service.methodsArray) {
      const request = method.resolvedRequestType!;
      const response = method.resolvedResponseType!;
      definition[method.name] = {
        path: `/snaptrail.v1.Collector/${method.name}`,
        requestStream: method.requestStream === true,
        responseStream: method.responseStream === true,
        requestSerialize: (value: object) => Buffer.from(request.encode(request.fromObject(value)).finish()),
        requestDeserialize: (bytes: Buffer) => request.toObject(request.decode(bytes), DECODE_OPTIONS),
        responseSerialize: (value: object) => Buffer.from(response.encode(response.fromObject(value)).finish()),
        responseDeserialize: (bytes: Buffer) => response.toObject(response.decode(bytes), DECODE_OPTIONS),
        originalName: method.name.charAt(0).toLowerCase() + method.name.slice(1),
      };
    }
    return grpc.makeGenericClientConstructor(definition, "Collector") as unknown as CollectorClientClass;
  })();
  return cached;
}
