import path from "node:path";
import { resolveAgentOptions } from "../agent-options.js";
import { captureOptionsFor } from "../capture/capture-options-for.js";
import { captureSnapshot } from "../capture/capture-snapshot.js";
import { snapshotCapturedEvent } from "../report/build-events.js";
import { deliverWithin } from "./deliver-within.js";
import type { HookLog } from "./hook-log.js";
import { readJobState } from "./job-state-file.js";
import { checkPrivateDir } from "./private-dir.js";
import { pythonPathWithout } from "./sitecustomize.js";

/**
 * `snaptrail slurm python-seen`, started in the background by sitecustomize.py from the job's
 * first Python process, with that process's environment (its venv or conda env activated):
 * fingerprints that interpreter and its packages, and the code of its working folder, and adds
 * them to the job's run (the run id comes from the state file the task prolog wrote). The host
 * is not sent again: the task prolog recorded it. The job does not wait for this.
 */
export async function pythonSeen(env: NodeJS.ProcessEnv, stateFile: string, python: string, deadlineMs: number, log: HookLog): Promise<void> {
  const uid = process.getuid?.() ?? -1;
  const userDir = path.dirname(stateFile);
  checkPrivateDir(userDir, uid);
  log.setDir(userDir);
  const state = readJobState(stateFile, uid);
  if (!state) {
    log.line(`no job state at ${stateFile}: nothing recorded`);
    return;
  }
  // What the job set, without snaptrail's own traces: they would make every job's environment differ.
  const jobEnv: NodeJS.ProcessEnv = { ...env };
  delete jobEnv.SNAPTRAIL_SLURM_STATE;
  const pythonPath = pythonPathWithout(jobEnv.PYTHONPATH, state.pythonDir);
  if (pythonPath === undefined) delete jobEnv.PYTHONPATH;
  else jobEnv.PYTHONPATH = pythonPath;
  const settings = { ...jobEnv, ...state.agentEnv };
  const options = resolveAgentOptions({ env: settings, file: settings.SNAPTRAIL_CONFIG });
  const capture = await captureSnapshot(captureOptionsFor({ ...options, python }, [python], process.cwd(), jobEnv));
  const whole = snapshotCapturedEvent({ ...capture, runId: state.runId }, new Set());
  const event = { ...whole, snapshotCaptured: { ...whole.snapshotCaptured!, hostDigest: "", host: null } };
  const delivery = await deliverWithin({ ...options, spoolDir: path.join(userDir, "spool") }, settings, [event], deadlineMs, async (sink) => {
    const digest = capture.code?.archiveDigest;
    if (!digest || !capture.archive) return;
    const known = await sink.hasDigests([digest]);
    if (known.ok && known.value.has(digest)) return;
    const put = await sink.putBlob(digest, capture.archive);
    if (!put.ok) log.line(`code archive not kept: ${put.error.message}`, state.jobId);
  });
  if (delivery.error) log.line(`Python of ${state.runId}: ${delivery.spooled} spooled, ${delivery.lost} lost: ${delivery.error}`, state.jobId);
  else log.line(`recorded ${capture.environment.interpreter?.executable ?? python} for ${state.runId}`, state.jobId);
}

