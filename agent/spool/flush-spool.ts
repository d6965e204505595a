import { spoolDirFor, type AgentOptions } from "../agent-options.js";
import { ConfigError } from "../../core/errors.js";
import { createSink, sinkSpecFor } from "../sinks/create-sink.js";
import { ReconnectingSink } from "../sinks/reconnecting-sink.js";
import { AGENT_BACKOFF, RetryingSink } from "../sinks/retrying-sink.js";
import { Spool, type SpoolStatus } from "./spool.js";
import { SpoolReplay, type ReplayReport } from "./spool-replay.js";

/** The spool these options name; a ConfigError when it is turned off. */
export function spoolFor(options: AgentOptions, env: NodeJS.ProcessEnv): Spool {
  const dir = spoolDirFor(options, env);
  if (dir === undefined) throw new ConfigError('the spool is turned off (spoolDir is "")');
  return new Spool(dir, options.maxSpoolBytes);
}

/**
 * `snaptrail spool flush`: sends everything waiting, retrying each call for retryForMs. It holds
 * the spool's flush lock while it runs; with ifIdle, a flush that finds the lock held does nothing
 * (undefined): the one running sends the same files.
 */
export async function flushSpool(options: AgentOptions, env: NodeJS.ProcessEnv, flags: { ifIdle?: boolean } = {}): Promise<{ report: ReplayReport; after: SpoolStatus } | undefined> {
  const spool = spoolFor(options, env);
  const release = await spool.claimFlush();
  if (!release && flags.ifIdle) return undefined;
  const spec = sinkSpecFor(options);
  const transport = new RetryingSink(new ReconnectingSink(() => createSink(spec)), { retryForMs: options.retryForMs, backoff: AGENT_BACKOFF });
  try {
    const report = await new SpoolReplay(spool, transport).run();
    return { report, after: await spool.status() };
  } finally {
    release?.();
    await transport.close();
  }
}
