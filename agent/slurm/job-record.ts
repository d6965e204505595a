import { closeSync, constants, lstatSync, openSync, unlinkSync } from "node:fs";
import path from "node:path";
import { parseScontrolLine } from "../../core/slurm/parse-scontrol-line.js";
import { runCommand } from "../capture/run-command.js";
import { NO_FOLLOW } from "./private-dir.js";
import { readOwnedJson } from "./read-owned-json.js";
import { writePrivateFile } from "./write-private-file.js";

export type JobRecord = Record<string, string>;

/** Fields the same for every task of an array: what a cached record may answer for another task. */
const PER_TASK_FIELDS = ["JobId", "ArrayTaskId", "JobState", "Reason", "RunTime", "StartTime", "EndTime", "NodeList", "BatchHost", "StdOut", "StdErr", "StdIn", "Restarts", "ExitCode"];

/**
 * The job's record from slurmctld (`scontrol show job -o ID`): resources, time limit, account,
 * QOS, GRES per node, the command, the working folder. The environment gives only part of this
 * (no time limit, no GRES as requested, no account when none was asked). One call per plain job;
 * for an array, one per array on each node: the first task to start on the node caches the
 * record under the array job id in the user's node-local folder, later tasks read it. The call
 * is bounded: a slow slurmctld costs the record, never the job.
 */
export async function jobRecord(env: NodeJS.ProcessEnv, userDir: string | undefined, timeoutMs: number): Promise<{ record: JobRecord | undefined; source: "cache" | "slurmctld" | "none"; error?: string }> {
  const jobId = env.SLURM_JOB_ID?.trim() ?? "";
  if (!/^\d+$/.test(jobId)) return { record: undefined, source: "none", error: "no SLURM_JOB_ID" };
  const arrayJob = env.SLURM_ARRAY_JOB_ID?.trim() ?? "";
  const cacheFile = userDir && /^\d+$/.test(arrayJob) ? path.join(userDir, `array-${safe(env.SLURM_CLUSTER_NAME ?? "")}-${arrayJob}.json`) : undefined;
  if (cacheFile) {
    const cached = readCached(cacheFile);
    if (cached) return { record: cached, source: "cache" };
    // Tasks of one array start side by side: one takes the lock and asks, the others wait for its answer.
    if (!takeLock(`${cacheFile}.lock`)) {
      const waited = await waitForCache(cacheFile, timeoutMs);
      return waited ? { record: waited, source: "cache" } : { record: undefined, source: "none", error: "another task of the array is reading the job record; not asked again" };
    }
  }
  try {
    return await ask(jobId, env, timeoutMs, cacheFile);
  } finally {
    if (cacheFile) rmQuiet(`${cacheFile}.lock`);
  }
}

async function ask(jobId: string, env: NodeJS.ProcessEnv, timeoutMs: number, cacheFile: string | undefined): Promise<{ record: JobRecord | undefined; source: "cache" | "slurmctld" | "none"; error?: string }> {
  const out = await runCommand("scontrol", ["show", "job", "-o", jobId], { env, timeoutMs, maxBuffer: 1024 * 1024 });
  if (!out.ok) return { record: undefined, source: "none", error: `scontrol show job ${jobId}: ${out.message}` };
  const line = out.stdout.toString("utf8").split("\n").find((l) => l.startsWith("JobId="));
  if (!line) return { record: undefined, source: "none", error: `scontrol show job ${jobId} printed no job record` };
  const record = parseScontrolLine(line);
  if (cacheFile) {
    const shared: JobRecord = { ...record };
    for (const f of PER_TASK_FIELDS) delete shared[f];
    writePrivateFile(cacheFile, JSON.stringify(shared));
  }
  return { record, source: "slurmctld" };
}

/** A lock older than this is left over from a task that died holding it. */
const STALE_LOCK_MS = 30_000;

function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600));
      return true;
    } catch {
      try {
        if (Date.now() - lstatSync(lock).mtimeMs < STALE_LOCK_MS) return false;
        unlinkSync(lock);
      } catch {
        // released meanwhile: try again
      }
    }
  }
  return false;
}

async function waitForCache(file: string, timeoutMs: number): Promise<JobRecord | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const hit = readCached(file);
    if (hit) return hit;
  }
  return undefined;
}

function rmQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone
  }
}

function safe(s: string): string {
  return s.replace(/[^0-9A-Za-z_.-]/g, "_");
}

function readCached(file: string): JobRecord | undefined {
  // The cache is the user's own (the task prolog runs as the user who owns the job).
  const parsed = readOwnedJson(file, process.getuid?.() ?? -1);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
}
