import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readOwnedJson } from "./read-owned-json.js";

/**
 * What the batch step's task prolog leaves on the node for the job's later hooks: the epilog
 * (which, as root, sees neither the array ids nor the user's environment) and the report of the
 * job's Python. In the user's private folder, named after SLURM_JOB_ID (unique on a node while
 * the job runs; a requeued job writes it anew).
 */
export interface JobStateFile {
  runId: string;
  jobId: string;
  /** When the batch step's task prolog ran (ms since the epoch): the run's duration starts here. */
  startedMs: number;
  /** What the hooks were started with, so the Python report runs the same agent. */
  agentArgv: string[];
  /** The folder on PYTHONPATH that holds snaptrail's sitecustomize.py (left out of what is recorded). */
  pythonDir: string;
  /**
   * The agent's settings the hook ran with (SNAPTRAIL_* from the admin's slurm.env): the Python
   * report starts from the job's Python, whose environment does not have them.
   */
  agentEnv: Record<string, string>;
}

export function jobStatePath(userDir: string, jobId: string): string {
  return path.join(userDir, `job-${jobId.replace(/[^0-9A-Za-z_.-]/g, "_")}.json`);
}

export function writeJobState(file: string, state: JobStateFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600, flag: "wx" });
  renameSync(tmp, file);
}

/**
 * Reads a state file, refusing a link and, with `ownerUid`, a file someone else owns: the epilog
 * runs as root and must not take another user's word for which run a job is.
 */
export function readJobState(file: string, ownerUid?: number): JobStateFile | undefined {
  const parsed = readOwnedJson(file, ownerUid) as Partial<JobStateFile> | undefined;
  if (typeof parsed !== "object" || parsed === null) return undefined;
  if (typeof parsed.runId !== "string" || parsed.runId === "" || typeof parsed.jobId !== "string") return undefined;
  return {
    runId: parsed.runId,
    jobId: parsed.jobId,
    startedMs: typeof parsed.startedMs === "number" ? parsed.startedMs : 0,
    agentArgv: Array.isArray(parsed.agentArgv) ? parsed.agentArgv.filter((a): a is string => typeof a === "string") : [],
    pythonDir: typeof parsed.pythonDir === "string" ? parsed.pythonDir : "",
    agentEnv: Object.fromEntries(Object.entries(parsed.agentEnv ?? {}).filter((e): e is [string, string] => typeof e[1] === "string" && e[0].startsWith("SNAPTRAIL_"))),
  };
}

/** The SNAPTRAIL_* settings a hook hands on to the Python report (not the run's identity). */
export function agentEnvOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith("SNAPTRAIL_") && v !== undefined && !["SNAPTRAIL_RUN_ID", "SNAPTRAIL_SLURM_STATE", "SNAPTRAIL_ROLLBACK_OF"].includes(k)) out[k] = v;
  }
  return out;
}
