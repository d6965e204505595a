import { resolveApiToken } from "../../core/auth/resolve-api-token.js";
import { ConfigError } from "../../core/errors.js";
import { natsAuthOptions } from "../../core/nats-credentials.js";
import { ok, type Result } from "../../core/result.js";
import { loadClientTls, parseGrpcAddress, refusePlaintextWithTls, type ClientTls } from "../../core/tls/client-tls.js";
import type { AgentOptions } from "../agent-options.js";
import type { EventSink } from "./event-sink.js";

export type SinkSpec =
  | { kind: "grpc"; address: string; connectTimeoutMs: number; callTimeoutMs: number; token?: string; tls?: ClientTls }
  | { kind: "nats"; url: string; connectTimeoutMs: number; callTimeoutMs: number; user?: string; pass?: string }
  | { kind: "memory" };

/** The sink the agent's options ask for (`transport`: grpc to `collector`, nats to `nats`). */
export function sinkSpecFor(
  options: Pick<AgentOptions, "transport" | "collector" | "nats" | "connectTimeoutMs" | "callTimeoutMs" | "token" | "tokenFile" | "natsUser" | "natsPasswordFile" | "tlsCa" | "tlsCert" | "tlsKey">,
): SinkSpec {
  const timeouts = { connectTimeoutMs: options.connectTimeoutMs, callTimeoutMs: options.callTimeoutMs };
  if (options.transport === "nats") return { kind: "nats", url: options.nats, ...timeouts, ...natsAuthOptions(options, "SNAPTRAIL_NATS_PASSWORD_FILE") };
  const token = resolveApiToken(options);
  // grpcs:// turns TLS on; the CA and client files are read here, so a bad one is a config error now, not a handshake failure later.
  const { target, tls } = parseGrpcAddress(options.collector);
  const files = loadClientTls(options);
  if (!tls) refusePlaintextWithTls(files, options.collector, "the collector address (--collector, env SNAPTRAIL_COLLECTOR)", `grpcs://${target}`);
  return { kind: "grpc", address: target, ...timeouts, ...(token ? { token } : {}), ...(tls ? { tls: files ?? {} } : {}) };
}

/** The one place a sink implementation is chosen; each is imported only when picked. */
export async function createSink(spec: SinkSpec): Promise<Result<EventSink>> {
  switch (spec.kind) {
    case "grpc": {
      const { GrpcSink } = await import("./grpc-sink.js");
      return GrpcSink.connect(spec);
    }
    case "nats": {
      const { NatsSink } = await import("./nats-sink.js");
      return NatsSink.connect(spec);
    }
    case "memory": {
      const { MemorySink } = await import("./memory-sink.js");
      return ok(new MemorySink());
    }
    default:
      throw new ConfigError(`unknown sink kind ${(spec as { kind: string }).kind}`);
  }
}
