import { resolveAgentOptions } from "../agent-options.js";
import { Spool } from "../spool/spool.js";
import type { HookLog } from "./hook-log.js";
import { ensurePrivateDir } from "./private-dir.js";
import path from "node:path";
import type { SlurmHookOptions } from "./slurm-hook-options.js";

/**
 * `snaptrail slurm prolog`, as root on each node before the job: it records nothing itself (the
 * prolog runs before slurmd has the batch script and without the job's environment or array ids;
 * the task prolog records the start). It makes root's node-local folder and, when earlier
 * epilogs spooled finishes, starts a detached `snaptrail spool flush --if-idle` for them, so a
 * node that lost the collector for a while catches up by its next job. It never waits on the
 * network.
 */
export async function prolog(env: NodeJS.ProcessEnv, options: SlurmHookOptions, log: HookLog): Promise<void> {
  const rootUid = process.getuid?.() ?? 0;
  log.setDir(ensurePrivateDir(options.rootDir, rootUid));
  const agentOptions = resolveAgentOptions({ env, file: env.SNAPTRAIL_CONFIG });
  const spool = new Spool(path.join(options.rootDir, "spool"), agentOptions.maxSpoolBytes);
  const cli = process.argv[1];
  if (!cli) return;
  const { flushInBackground } = await import("../wrap/background-flush.js");
  await flushInBackground(spool, agentOptions, cli, env);
}
