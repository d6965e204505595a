import { shellJoin } from "../../core/diff/shell-quote.js";
import { ConfigError, errorMessage, SubmitRefusedError, UnauthenticatedError, UnavailableError } from "../../core/errors.js";
import type { Result } from "../../core/result.js";
import type { RunDetail } from "../../core/api-types.js";
import { submissionResult, type Resubmission, type ResubmitRequest, type Resubmitter } from "../resubmitter.js";
import { buildSlurmSubmission, planRestore, withRestorePreamble, type SlurmSubmission } from "./build-slurm-submission.js";
import { expectedSlurmRunId, resubmitStamp } from "./slurm-target.js";
import { positiveInteger, slurmMemToMegabytes, slurmTimeToMinutes } from "./slurm-units.js";
import { orchestratorBaseUrl } from "../orchestrator-base-url.js";

/** The OpenAPI plugin this adapter speaks: Slurm 22.05's newest (its job shape differs from 23.02's v0.0.39). */
export const SLURMRESTD_API = "v0.0.38";
const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

export interface SlurmrestdResubmitterOptions {
  /** slurmrestd's base address, http://HOST:PORT. */
  url: string;
  user: string;
  /** A JWT from `scontrol token`. */
  token: string;
  /** How the job runs snaptrail on the compute node for its restore step. */
  snaptrail: string[];
  collectorHttp: string;
  /** Absolute folder on the cluster for restores; undefined: `.snaptrail/resubmits` under the job's work dir. */
  restoreDir?: string;
  /** More variables for the job (slurmrestd passes none of the submitter's own). */
  env?: Record<string, string>;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

type JobValue = string | number | Record<string, string>;

/** The v0.0.38 job properties for the submission; names and types from the spec slurmrestd 22.05 serves. */
export function slurmrestdJob(submission: SlurmSubmission, environment: Record<string, string>): Record<string, JobValue> {
  const job: Record<string, JobValue> = { environment };
  for (const [name, value] of submission.resources) {
    switch (name) {
      case "job-name": job.name = value; break;
      case "chdir": job.current_working_directory = value; break;
      case "partition": case "account": case "qos": case "reservation": case "gres": case "gpus": job[name] = value; break;
      case "gpus-per-node": job.gpus_per_node = value; break;
      case "gpus-per-task": job.gpus_per_task = value; break;
      case "cpus-per-gpu": job.cpus_per_gpu = value; break;
      case "constraint": job.constraints = value; break;
      case "output": job.standard_output = value; break;
      case "error": job.standard_error = value; break;
      case "nodes": job.nodes = value; break;
      case "ntasks": job.tasks = positiveInteger(name, value); break;
      case "ntasks-per-node": job.tasks_per_node = positiveInteger(name, value); break;
      case "cpus-per-task": job.cpus_per_task = positiveInteger(name, value); break;
      case "mem": job.memory_per_node = slurmMemToMegabytes(value); break;
      case "mem-per-cpu": job.memory_per_cpu = slurmMemToMegabytes(value); break;
      case "mem-per-gpu": job.memory_per_gpu = slurmMemToMegabytes(value); break;
      case "time": {
        const minutes = slurmTimeToMinutes(value);
        if (minutes !== undefined) job.time_limit = minutes;
        break;
      }
    }
  }
  return job;
}

/** The `exp` claim of a JWT (read, not verified: slurmctld verifies), in ms; undefined when absent or unreadable. */
export function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown };
    return typeof claims.exp === "number" ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

// How slurmrestd 22.05 answers a token slurmctld will not accept (expired, or signed with another
// key): slurmctld drops the connection and slurmrestd says HTTP 500 with this error text.
const DROPPED_CONNECTION = "Zero Bytes were transmitted or received";

function recordedPath(run: RunDetail): string | undefined {
  const v = run.environment?.env.find((e) => e.name === "PATH");
  return v && !v.redacted && v.value !== "" ? v.value : undefined;
}

interface SubmitAnswer {
  job_id?: number;
  errors?: Array<{ error?: string; description?: string; error_number?: number; errno?: number; source?: string }>;
  job_submit_user_msg?: string;
}

/**
 * Slurm through slurmrestd (POST /slurm/v0.0.38/job/submit with a JWT). slurmrestd runs no command
 * before the job, so the restore is the script's first step: it runs on the compute node inside
 * the job (never in a hook), into paths fixed in advance that the script was rewritten to.
 */
export class SlurmrestdResubmitter implements Resubmitter {
  readonly kind = "SLURM" as const;
  private readonly base: string;

  constructor(private readonly options: SlurmrestdResubmitterOptions) {
    this.base = orchestratorBaseUrl("--rest", options.url, "slurmrestd");
    if (options.token === "") throw new ConfigError("slurmrestd needs a JWT: set SLURM_JWT or give --rest-token-file (`scontrol token` prints one)");
  }

  resubmit(request: ResubmitRequest): Promise<Result<Resubmission>> {
    return submissionResult(() => this.submit(request));
  }

  private async submit(request: ResubmitRequest): Promise<Resubmission> {
    const { run } = request;
    const overrides = request.overrides ? { overrides: request.overrides } : {};
    const recordedDir = run.config?.parameters.chdir || run.config?.cwd || undefined;
    const dir = this.options.restoreDir ?? (recordedDir ? `${recordedDir.replace(/\/+$/, "")}/.snaptrail/resubmits` : undefined);
    if (dir === undefined) throw new ConfigError(`${run.runId} recorded no working directory: give --restore-dir, an absolute folder on the cluster`);
    const plan = planRestore({ run, dir, stamp: resubmitStamp(run), collectorHttp: this.options.collectorHttp });
    const submission = buildSlurmSubmission({ run, ...overrides, ...(plan ? { restore: plan } : {}) });
    const cdTo = submission.workDir !== submission.recordedWorkDir ? submission.workDir : undefined;
    const script = plan ? withRestorePreamble(submission.script, [...this.options.snaptrail, ...plan.args], run.runId, cdTo) : submission.script;
    const environment = { PATH: recordedPath(run) ?? DEFAULT_PATH, ...this.options.env, ...submission.exports };
    const job = slurmrestdJob(submission, environment);
    // The restored code does not exist until the job's first step has run; the job starts where
    // the original did, and the script moves into the restored copy (see withRestorePreamble).
    if (cdTo !== undefined && submission.recordedWorkDir !== undefined) job.current_working_directory = submission.recordedWorkDir;
    if (job.current_working_directory === undefined) throw new ConfigError(`${run.runId} recorded no working directory, which slurmrestd needs`);
    const endpoint = `${this.base}/slurm/${SLURMRESTD_API}/job/submit`;
    const body = JSON.stringify({ script, job });
    const commands = [shellJoin(["POST", endpoint, `X-SLURM-USER-NAME: ${this.options.user}`, "X-SLURM-USER-TOKEN: <token>", JSON.stringify({ script: "SCRIPT", job })])];
    const noRestore = plan ? "" : " (the run recorded no code or environment snapshot, so nothing is restored)";
    if (request.dryRun) return { externalId: "", detail: `dry run: nothing submitted to ${this.base}${noRestore}`, commands, script };
    const expiresMs = jwtExpiryMs(this.options.token);
    if (expiresMs !== undefined && expiresMs <= Date.now()) {
      throw new UnauthenticatedError(`the slurmrestd token for ${this.options.user} expired at ${new Date(expiresMs).toISOString()}; get a new one with \`scontrol token\` (nothing was submitted)`);
    }

    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", "X-SLURM-USER-NAME": this.options.user, "X-SLURM-USER-TOKEN": this.options.token },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? errorMessage(err);
      throw new UnavailableError(`slurmrestd at ${this.base} cannot be reached (${cause}); nothing was submitted`, { cause: err });
    }
    const text = await res.text();
    let answer: SubmitAnswer = {};
    try {
      answer = JSON.parse(text) as SubmitAnswer;
    } catch {
      // Not JSON: an authentication refusal or a proxy's page; the status and text say which.
    }
    const errors = (answer.errors ?? []).map((e) => [e.error, e.description].filter((s) => s !== undefined && s !== "").join(": ")).filter((s) => s !== "");
    const said = errors.length > 0 ? errors.join("\n") : text.trim().slice(0, 2000);
    if (res.status === 401 || res.status === 403 || (res.status === 500 && said.includes(DROPPED_CONNECTION))) {
      throw new UnauthenticatedError(`slurmrestd at ${this.base} refused the token for ${this.options.user} (HTTP ${res.status}: expired, or not signed with the cluster's key; slurmctld closes the connection on such a token); get a new one with \`scontrol token\`; nothing was submitted:\n${said}`);
    }
    if (!res.ok || errors.length > 0 || typeof answer.job_id !== "number") {
      throw new SubmitRefusedError(`slurmrestd at ${this.base} refused the resubmission of ${run.runId} (HTTP ${res.status}):\n${said}`);
    }
    const jobId = String(answer.job_id);
    const expectedRunId = expectedSlurmRunId(run, jobId);
    return { externalId: jobId, ...(expectedRunId ? { expectedRunId } : {}), detail: `submitted Slurm job ${jobId} through ${this.base}${noRestore}`, commands, script };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
