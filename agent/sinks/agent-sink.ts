import { spoolDirFor, type AgentOptions } from "../agent-options.js";
import { Spool } from "../spool/spool.js";
import { createSink, sinkSpecFor } from "./create-sink.js";
import { Cutoff } from "./cutoff.js";
import type { EventSink } from "./event-sink.js";
import { ReconnectingSink } from "./reconnecting-sink.js";
import { AGENT_BACKOFF, RetryingSink } from "./retrying-sink.js";
import { SpoolingSink } from "./spooling-sink.js";

export interface AgentSink {
  /** What a run's events go through: retried, and spooled when not acked by the cutoff. */
  sink: SpoolingSink;
  /** Retried but never spooled: replays the spool (what is already there must not go back in). */
  transport: EventSink;
  /** Undefined when the spool is turned off (spoolDir ""). */
  spool: Spool | undefined;
  /** Set at the job's end: from then on nothing waits for the network past it. */
  cutoff: Cutoff;
  /** The receiver has not answered once during this run and could not be reached at least once. */
  unreachableSoFar(): boolean;
  /** The last retryable failure's message, "" when none. */
  lastFailureMessage(): string;
}

/**
 * The one place the agent's sink is composed:
 *   SpoolingSink -> RetryingSink -> ReconnectingSink -> grpc | nats (createSink)
 * Connecting starts now, beside fingerprinting; the spool folder is not touched until needed.
 */
export function createAgentSink(options: AgentOptions, env: NodeJS.ProcessEnv): AgentSink {
  const spec = sinkSpecFor(options);
  const cutoff = new Cutoff();
  const transport = new RetryingSink(new ReconnectingSink(() => createSink(spec)).connectNow(), { retryForMs: options.retryForMs, backoff: AGENT_BACKOFF }, cutoff);
  const dir = spoolDirFor(options, env);
  const spool = dir === undefined ? undefined : new Spool(dir, options.maxSpoolBytes);
  return { sink: new SpoolingSink(transport, spool, cutoff), transport, spool, cutoff, unreachableSoFar: () => transport.unreachableSoFar(), lastFailureMessage: () => transport.lastFailureMessage() };
}
