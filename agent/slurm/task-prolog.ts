import { unlinkSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { snapshotDigest } from "../../core/digest.js";
import { errorMessage } from "../../core/errors.js";
import type { CaptureWarning, HostSnapshot, OrchestratorContext, SnapshotEvent } from "../../core/model.js";
import { SNAPTRAIL_VERSION } from "../../core/version.js";
import { randomUUID } from "node:crypto";
import { resolveAgentOptions } from "../agent-options.js";
import { redactNamedValue } from "../env/redact.js";
import { resolveRedactionSalt } from "../env/redaction-salt.js";
import { captureHost } from "../host/capture-host.js";
import { detectOrchestrator } from "../orchestrator/detect-orchestrator.js";
import { slurmParameters } from "../orchestrator/run-config-for.js";
import { runIdFor } from "../orchestrator/run-id-for.js";
import { agentArgv } from "./agent-argv.js";
import { deliverWithin } from "./deliver-within.js";
import type { HookLog } from "./hook-log.js";
import { jobAttributes, jobParameters } from "./job-parameters.js";
import { jobRecord } from "./job-record.js";
import { agentEnvOf, jobStatePath, writeJobState } from "./job-state-file.js";
import { ensurePrivateDir } from "./private-dir.js";
import { pruneStateFiles } from "./prune-state-files.js";
import { readBatchScript } from "./read-batch-script.js";
import { ensureSitecustomize } from "./sitecustomize.js";
import { userDirFor, type SlurmHookOptions } from "./slurm-hook-options.js";

/** A value Slurm's TaskProlog parser takes on one `export NAME=value` line. */
function exportLine(name: string, value: string): string | undefined {
  return /[\n\r\0]/.test(value) ? undefined : `export ${name}=${value}`;
}

/**
 * `snaptrail slurm task-prolog`, as the job's user with the task's environment. Every task of
 * every step gets `export SNAPTRAIL_RUN_ID=<the job's run>` (a `snaptrail wrap` step inside
 * attaches to it). Only the batch step's task (no SLURM_STEP_ID) does more:
 * - puts snaptrail's sitecustomize.py on PYTHONPATH (exported) and leaves the job's state file
 *   (SNAPTRAIL_SLURM_STATE) for the epilog and the Python report;
 * - records the run's start: the batch script as submitted (redacted), the resources as sbatch
 *   options, the job's facts (one bounded slurmctld call, cached per array), rollback_of from
 *   SNAPTRAIL_ROLLBACK_OF; and the host snapshot with its GPUs.
 * Lines for Slurm go to `emit`, nothing else; problems go to `log`.
 */
export async function taskProlog(env: NodeJS.ProcessEnv, options: SlurmHookOptions, deadlineMs: number, emit: (line: string) => void, log: HookLog): Promise<void> {
  const ctx = detectOrchestrator(env);
  if (ctx.kind !== "SLURM") {
    log.line("not in a Slurm job (no SLURM_JOB_ID): nothing to do");
    return;
  }
  const jobId = env.SLURM_JOB_ID?.trim() ?? "";
  const runId = runIdFor({ ...ctx, step: "" }, env);
  const lines: string[] = [];
  const put = (name: string, value: string): void => {
    const l = exportLine(name, value);
    if (l) lines.push(l);
  };
  put("SNAPTRAIL_RUN_ID", runId);
  if (ctx.step !== "") {
    // A step's task: many per job, thousands per array. Its Python already reports through the
    // batch step's PYTHONPATH, which srun passes on; nothing to send from here.
    for (const l of lines) emit(l);
    return;
  }
  const uid = process.getuid?.() ?? -1;
  let userDir: string | undefined;
  try {
    userDir = ensurePrivateDir(userDirFor(options, uid), uid);
    log.setDir(userDir);
  } catch (err) {
    log.line(`no private node-local folder: ${errorMessage(err)}; recording without the Python report or a spool`, jobId);
  }
  const started = Date.now();
  if (userDir) {
    try {
      const argv = agentArgv();
      const pythonDir = ensureSitecustomize(userDir, argv);
      const stateFile = jobStatePath(userDir, jobId);
      for (const stale of [`${stateFile}.python`]) rmQuiet(stale); // a requeued job reports again
      writeJobState(stateFile, { runId, jobId, startedMs: started, agentArgv: argv, pythonDir, agentEnv: agentEnvOf(env) });
      const pythonPath = env.PYTHONPATH?.trim() ? `${pythonDir}:${env.PYTHONPATH}` : pythonDir;
      put("PYTHONPATH", pythonPath);
      put("SNAPTRAIL_SLURM_STATE", stateFile);
    } catch (err) {
      log.line(`the Python report is off for this job: ${errorMessage(err)}`, jobId);
    }
  }
  for (const l of lines) emit(l);
  if (userDir) {
    try {
      pruneStateFiles(userDir);
    } catch (err) {
      log.line(`could not prune old state files: ${errorMessage(err)}`, jobId);
    }
  }

  const agentOptions = resolveAgentOptions({ env, file: env.SNAPTRAIL_CONFIG });
  const salt = resolveRedactionSalt(agentOptions, env).salt;
  const warnings: CaptureWarning[] = [];
  const cwd = safeCwd();
  const [record, host] = await Promise.all([
    jobRecord(env, userDir, Math.max(1, Math.min(options.scontrolTimeoutMs, deadlineMs - Date.now()))),
    captureHost(env, cwd).catch((err: unknown) => ({ host: null, warnings: [{ source: "host", message: `host capture failed: ${errorMessage(err)}` }] })),
  ]);
  if (record.error) {
    warnings.push({ source: "slurm", message: `job record not read: ${record.error}` });
    log.line(`job record not read: ${record.error}`, jobId);
  }
  warnings.push(...host.warnings);
  const script = readBatchScript(env, jobId, salt, options.maxScriptBytes);
  if (script.warning) warnings.push({ source: "slurm", message: script.warning });

  const parameters: Record<string, string> = { ...slurmParameters(env), ...(record.record ? jobParameters(record.record, env) : {}) };
  // time-limit (minutes, from the environment) is no sbatch option; time is, when the record gave it.
  if (parameters.time !== undefined) delete parameters["time-limit"];
  for (const [k, v] of Object.entries(parameters)) parameters[k] = redactNamedValue(k, v, salt).value;
  const orchestrator: OrchestratorContext = { ...ctx, step: "", attributes: { ...ctx.attributes, ...jobAttributes(record.record, env) } };
  const workDir = parameters.chdir ?? env.SLURM_SUBMIT_DIR ?? cwd;
  const now = Date.now();
  const events: SnapshotEvent[] = [
    {
      eventId: randomUUID(),
      runId,
      timeUnixMs: now,
      payload: "runStarted",
      runStarted: {
        orchestrator,
        config: { argv: [], cwd: workDir, parameters, script: script.script },
        hostname: hostname(),
        agentVersion: SNAPTRAIL_VERSION,
        rollbackOf: env.SNAPTRAIL_ROLLBACK_OF?.trim() ?? "",
        cacheKey: "",
        cachedFrom: "",
        parentRunId: "",
      },
    },
  ];
  if (host.host) events.push(hostEvent(runId, host.host, warnings, now - started));
  const delivery = await deliverWithin({ ...agentOptions, spoolDir: userDir ? path.join(userDir, "spool") : "" }, env, events, deadlineMs - 50);
  if (delivery.error) log.line(`${delivery.spooled} events spooled, ${delivery.lost} lost: ${delivery.error}`, jobId);
}

function hostEvent(runId: string, host: HostSnapshot, warnings: CaptureWarning[], captureMs: number): SnapshotEvent {
  return {
    eventId: randomUUID(),
    runId,
    timeUnixMs: Date.now(),
    payload: "snapshotCaptured",
    snapshotCaptured: {
      environmentDigest: "",
      environment: null,
      hostDigest: snapshotDigest("host", host),
      host,
      codeDigest: "",
      code: null,
      warnings,
      captureMs,
    },
  };
}

function safeCwd(): string {
  try {
    return process.cwd();
  } catch {
    return "/";
  }
}

function rmQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // not there
  }
}
