import { randomUUID } from "node:crypto";
import path from "node:path";
import type { SnapshotEvent } from "../../core/model.js";
import { resolveAgentOptions } from "../agent-options.js";
import { deliverWithin } from "./deliver-within.js";
import { exitFromWaitStatus } from "./exit-status.js";
import type { HookLog } from "./hook-log.js";
import { jobStatePath, readJobState } from "./job-state-file.js";
import { checkPrivateDir, ensurePrivateDir } from "./private-dir.js";
import { userDirFor, type SlurmHookOptions } from "./slurm-hook-options.js";

/**
 * `snaptrail slurm epilog`, as root on each node of the job when it ends: records the exit
 * status (SLURM_JOB_EXIT_CODE) and the duration as the job run's finish, spooling in root's
 * node-local folder. The run id comes from the state file the job's task prolog left (the epilog
 * sees no array ids); a file the job's user does not own is not believed. Without one (no task
 * prolog ran on this node, e.g. a node other than the batch host) it is derived from the job id
 * and only the batch host records a finish. The state file stays: the job's Python report may
 * still be starting in the background and needs it; the task prolog prunes old ones.
 */
export async function epilog(env: NodeJS.ProcessEnv, options: SlurmHookOptions, deadlineMs: number, log: HookLog): Promise<void> {
  const jobId = env.SLURM_JOB_ID?.trim() ?? "";
  if (!/^\d+$/.test(jobId)) {
    log.line("no SLURM_JOB_ID: nothing to do");
    return;
  }
  const rootUid = process.getuid?.() ?? 0;
  try {
    log.setDir(ensurePrivateDir(options.rootDir, rootUid));
  } catch (err) {
    log.line(`root's folder not usable, events cannot be spooled: ${String(err)}`, jobId);
  }
  const uid = Number(env.SLURM_JOB_UID ?? "");
  let state;
  let stateFile: string | undefined;
  if (Number.isInteger(uid) && uid >= 0) {
    const userDir = userDirFor(options, uid);
    try {
      checkPrivateDir(userDir, uid);
      stateFile = jobStatePath(userDir, jobId);
      state = readJobState(stateFile, uid);
    } catch {
      // no task prolog ran here
    }
  }
  if (!state) {
    log.line("no state from the task prolog on this node (not the batch host, or it failed): no finish recorded here", jobId);
    return;
  }
  const { exitCode, signal } = exitFromWaitStatus(env.SLURM_JOB_EXIT_CODE);
  const finished: SnapshotEvent = {
    eventId: randomUUID(),
    runId: state.runId,
    timeUnixMs: Date.now(),
    payload: "runFinished",
    runFinished: { exitCode, signal, durationMs: state.startedMs > 0 ? Math.max(0, Date.now() - state.startedMs) : 0, error: "", outputs: [] },
  };
  const agentOptions = resolveAgentOptions({ env, file: env.SNAPTRAIL_CONFIG });
  const delivery = await deliverWithin({ ...agentOptions, spoolDir: path.join(options.rootDir, "spool") }, env, [finished], deadlineMs - 50);
  if (delivery.error) log.line(`finish of ${state.runId}: ${delivery.spooled} spooled, ${delivery.lost} lost: ${delivery.error}`, jobId);
}
