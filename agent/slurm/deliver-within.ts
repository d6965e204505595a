import type { SnapshotEvent } from "../../core/model.js";
import type { AgentOptions } from "../agent-options.js";
import { createAgentSink } from "../sinks/agent-sink.js";

export interface Delivery {
  acked: number;
  spooled: number;
  lost: number;
  error?: string;
}

/** The share of a hook's bound spent waiting for the collector; the rest is for the spool's fsync and closing. */
const NETWORK_SHARE = 0.6;

/**
 * Sends a hook's events and returns by `deadlineMs` whatever the network does: what the collector
 * has not acked by the cutoff stays in the spool (written ahead, before the send), to be sent by
 * the next hook or `snaptrail spool flush`. `beforePublish` may send blobs first (a code archive).
 * Never throws.
 */
export async function deliverWithin(
  options: AgentOptions,
  env: NodeJS.ProcessEnv,
  events: SnapshotEvent[],
  deadlineMs: number,
  beforePublish?: (sink: ReturnType<typeof createAgentSink>["sink"]) => Promise<void>,
): Promise<Delivery> {
  const agent = createAgentSink(options, env);
  const now = Date.now();
  agent.cutoff.set(now + Math.max(0, (deadlineMs - now) * NETWORK_SHARE), `no acknowledgement within the hook's bound (SNAPTRAIL_SLURM_TIMEOUT_MS)`);
  const out: Delivery = { acked: 0, spooled: 0, lost: 0 };
  const work = (async () => {
    if (beforePublish) await beforePublish(agent.sink);
    const result = await agent.sink.publish(events);
    if (!result.ok) {
      out.lost = events.length;
      out.error = result.error.message;
      return;
    }
    for (const ack of result.value) {
      if (ack.outcome === "STORED" || ack.outcome === "DUPLICATE") out.acked++;
      else if (ack.outcome === "SPOOLED") out.spooled++;
      else {
        out.lost++;
        out.error ??= `the collector refused event ${ack.eventId}: ${ack.error}`;
      }
    }
  })().catch((err: unknown) => {
    out.error = String(err);
  });
  await race(work, deadlineMs);
  const summary = agent.sink.summary();
  if (out.spooled > 0 || out.lost > 0) out.error ??= summary.sendError ?? summary.spoolError;
  if (out.acked + out.spooled + out.lost < events.length) {
    out.error ??= `${events.length - out.acked - out.spooled - out.lost} events unanswered at the hook's bound; their write-ahead copies stay in ${summary.dir ?? "(no spool)"}`;
  }
  await race(agent.sink.close(), deadlineMs + 200);
  if (out.acked === events.length && agent.spool && process.argv[1]) {
    try {
      const { flushInBackground } = await import("../wrap/background-flush.js");
      await flushInBackground(agent.spool, options, process.argv[1], env);
    } catch {
      // the next hook tries again
    }
  }
  return out;
}

async function race(p: Promise<unknown>, deadlineMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.then(() => undefined, () => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadlineMs - Date.now()))))]);
  clearTimeout(timer);
}
