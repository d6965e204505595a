import { createRequire } from "node:module";
import type { MethodDefinition } from "@grpc/grpc-js";
import type { ProtoGrpcType } from "./generated/collector.js";
import { DECODE_OPTIONS, collectorDescriptor } from "./proto-files.js";

const require = createRequire(import.meta.url);

/** The client class of the Collector service, as `proto.snaptrail.v1.Collector` of the full loader. */
export type CollectorClientClass = ProtoGrpcType["snaptrail"]["v1"]["Collector"];

let cached: Promise<CollectorClientClass> | undefined;

/** What proto/generated/collector-codecs.cjs holds for each message: protobufjs' static code. */
interface StaticMessage {
  fromObject(value: object): object;
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  toObject(message: object, options: object): object;
}

interface ServiceJson {
  methods: Record<string, { requestType: string; responseType: string; requestStream?: boolean; responseStream?: boolean }>;
}

/**
 * The Collector's gRPC client for the agent, built from protobufjs' static code for the service's
 * messages (`pbjs -t static-module`, written by `npm run proto:gen` beside the descriptor, checked
 * by proto:check). @grpc/proto-loader (which the collector's server keeps: it serves
 * reflection-style message definitions) also turns every message into a DescriptorProto and
 * encodes the file descriptors: a client needs none of that. Nor does it need protobufjs'
 * reflection, whose Root.fromJSON and per-message code generation (new Function, compiled afresh
 * by every process, out of reach of the agent's V8 code cache) cost each `wrap` some 10 ms; the
 * static code is that same generated code, written once. The wire form and decoded values are the
 * loader's: serialize is encode(fromObject(value)), deserialize is toObject(decode(bytes),
 * DECODE_OPTIONS) (test/unit/collector-client.test.ts compares them byte for byte).
 */
export function loadCollectorClient(): Promise<CollectorClientClass> {
  cached ??= (async () => {
    const grpc = (await import("@grpc/grpc-js")).default;
    const codecs = require("../../proto/generated/collector-codecs.cjs") as { snaptrail: { v1: Record<string, StaticMessage> } };
    const v1 = (collectorDescriptor() as { nested: { snaptrail: { nested: { v1: { nested: Record<string, unknown> } } } } }).nested.snaptrail.nested.v1.nested;
    const service = v1.Collector as ServiceJson;
    const message = (name: string): StaticMessage => {
      const m = codecs.snaptrail.v1[name.replace(/^\.?(snaptrail\.v1\.)?/, "")];
      if (!m) throw new Error(`the Collector's static codecs have no message ${name}: run npm run proto:gen`);
      return m;
    };
    const definition: Record<string, MethodDefinition<object, object>> = {};
    for (const [name, method] of Object.entries(service.methods)) {
      const request = message(method.requestType);
      const response = message(method.responseType);
      definition[name] = {
        path: `/snaptrail.v1.Collector/${name}`,
        requestStream: method.requestStream === true,
        responseStream: method.responseStream === true,
        requestSerialize: (value: object) => Buffer.from(request.encode(request.fromObject(value)).finish()),
        requestDeserialize: (bytes: Buffer) => request.toObject(request.decode(bytes), DECODE_OPTIONS),
        responseSerialize: (value: object) => Buffer.from(response.encode(response.fromObject(value)).finish()),
        responseDeserialize: (bytes: Buffer) => response.toObject(response.decode(bytes), DECODE_OPTIONS),
        originalName: name.charAt(0).toLowerCase() + name.slice(1),
      };
    }
    return grpc.makeGenericClientConstructor(definition, "Collector") as unknown as CollectorClientClass;
  })();
  return cached;
}
