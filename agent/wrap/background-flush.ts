import { spawn } from "node:child_process";
import { AGENT_ENV_NAMES, type AgentOptions } from "../agent-options.js";
import type { Spool } from "../spool/spool.js";

/** The most the end of a run spends deciding whether to start a flush: a readdir, normally. */
const DECIDE_MS = 100;

/**
 * Events earlier runs spooled must not wait for a run long enough to replay them in its
 * background: when the collector just acked this run and some wait, a detached
 * `snaptrail spool flush --if-idle` sends them after this run has exited. It holds the spool's
 * flush lock, so a burst of short jobs starts one flusher, not one each; files are claimed one by
 * one as always, so it never races a replay inside a running agent. The job's exit waits for the
 * decision (bounded by DECIDE_MS: the spool may sit on a hung network folder) and the spawn only.
 * Returns whether a flusher was started.
 */
export async function flushInBackground(spool: Spool, options: AgentOptions, cli: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const decided = (async () => (await spool.hasWaiting()) && !(await spool.flushRunning()))().catch(() => false);
  const go = await Promise.race([decided, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), DECIDE_MS)))]);
  clearTimeout(timer);
  if (!go) return false;
  try {
    const child = spawn(process.execPath, [cli, "spool", "flush", "--if-idle"], { env: { ...env, ...envFor(options, spool.dir) }, detached: true, stdio: "ignore" });
    child.on("error", () => undefined); // a flusher that cannot start costs nothing: the next run tries again
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** The options this run resolved (flags, env, file), handed on as env vars, which the child reads first. */
function envFor(options: AgentOptions, spoolDir: string): NodeJS.ProcessEnv {
  return {
    [AGENT_ENV_NAMES.collector]: options.collector,
    [AGENT_ENV_NAMES.transport]: options.transport,
    [AGENT_ENV_NAMES.nats]: options.nats,
    [AGENT_ENV_NAMES.connectTimeoutMs]: String(options.connectTimeoutMs),
    [AGENT_ENV_NAMES.callTimeoutMs]: String(options.callTimeoutMs),
    [AGENT_ENV_NAMES.retryForMs]: String(options.retryForMs),
    [AGENT_ENV_NAMES.spoolDir]: spoolDir,
    [AGENT_ENV_NAMES.maxSpoolBytes]: String(options.maxSpoolBytes),
    // Paths only, never contents: the flusher verifies the collector as this run did.
    ...(options.tlsCa ? { [AGENT_ENV_NAMES.tlsCa]: options.tlsCa } : {}),
    ...(options.tlsCert ? { [AGENT_ENV_NAMES.tlsCert]: options.tlsCert } : {}),
    ...(options.tlsKey ? { [AGENT_ENV_NAMES.tlsKey]: options.tlsKey } : {}),
  };
}
