import { shellJoin } from "../../core/diff/shell-quote.js";
import { MismatchError, SubmitRefusedError, InternalError, errorMessage, UnavailableError } from "../../core/errors.js";
import type { Result } from "../../core/result.js";
import type { CommandOutcome, CommandRunner } from "../command-runner.js";
import { submissionResult, type Resubmission, type ResubmitRequest, type Resubmitter } from "../resubmitter.js";
import { buildSlurmSubmission, planRestore } from "./build-slurm-submission.js";
import { expectedSlurmRunId, resubmitStamp } from "./slurm-target.js";

export interface SbatchResubmitterOptions {
  /** How to run snaptrail on the login node (`["snaptrail"]`, or node and a script path). */
  snaptrail: string[];
  /** The collector's HTTP address as the login node reaches it. */
  collectorHttp: string;
  /** Absolute folder on the cluster for restores; undefined: ~/.cache/snaptrail/resubmits of the login user. */
  restoreDir?: string;
  /** Variables for sbatch and the restore on the login node (SLURM_CONF, SNAPTRAIL_CACHE_DIR...). */
  env?: Record<string, string>;
  /** Bound on the restore (a venv rebuild downloads packages). */
  restoreTimeoutMs?: number;
  submitTimeoutMs?: number;
}

function describeExit(o: CommandOutcome): string {
  return o.signal ? `killed by ${o.signal}` : `exit ${o.exitCode ?? "?"}`;
}

/**
 * Slurm through sbatch, run by a CommandRunner on this machine or on a login node over SSH. The
 * restore (code and venv) runs there first, so a failed rebuild stops before anything is queued
 * and the slow venv rebuild never runs inside a Slurm hook; the script is then submitted on stdin
 * with the old paths mapped to the restored ones.
 */
export class SbatchResubmitter implements Resubmitter {
  readonly kind = "SLURM" as const;

  constructor(
    private readonly runner: CommandRunner,
    private readonly options: SbatchResubmitterOptions,
  ) {}

  resubmit(request: ResubmitRequest): Promise<Result<Resubmission>> {
    return submissionResult(() => this.submit(request));
  }

  private async restoreDir(): Promise<string> {
    if (this.options.restoreDir !== undefined) return this.options.restoreDir;
    // The login user's home, asked once: the restore needs an absolute folder the job can see.
    const o = await this.runner.run(["printenv", "HOME"], { timeoutMs: 30_000 });
    const home = o.stdout.trim();
    if (o.exitCode !== 0 || !home.startsWith("/")) {
      throw new UnavailableError(`could not learn the home folder on ${this.runner.where} (${describeExit(o)}): give --restore-dir`);
    }
    return `${home.replace(/\/+$/, "")}/.cache/snaptrail/resubmits`;
  }

  private async submit(request: ResubmitRequest): Promise<Resubmission> {
    const { run } = request;
    const plan = planRestore({ run, dir: await this.restoreDir(), stamp: resubmitStamp(run), collectorHttp: this.options.collectorHttp });
    const submission = buildSlurmSubmission({ run, ...(request.overrides ? { overrides: request.overrides } : {}), ...(plan ? { restore: plan } : {}) });
    const envPrefix = Object.entries(this.options.env ?? {}).map(([n, v]) => `${n}=${v}`);
    const show = (argv: string[]): string => shellJoin(envPrefix.length > 0 ? ["env", ...envPrefix, ...argv] : argv);
    const restoreArgv = plan ? [...this.options.snaptrail, ...plan.args] : undefined;
    const sbatchArgv = ["sbatch", ...submission.sbatchArgs];
    const commands = [...(restoreArgv ? [show(restoreArgv)] : []), `${show(sbatchArgv)} < SCRIPT`];
    const base = { commands, script: submission.script };
    const noRestore = plan ? "" : " (the run recorded no code or environment snapshot, so nothing was restored)";
    if (request.dryRun) {
      return { externalId: "", detail: `dry run: nothing submitted on ${this.runner.where}${noRestore}`, ...base };
    }
    if (plan && restoreArgv) await this.restore(restoreArgv, plan, run.runId);
    const o = await this.runner.run(sbatchArgv, { stdin: submission.script, ...this.runOptions(this.options.submitTimeoutMs ?? 120_000) });
    if (o.exitCode !== 0) {
      throw new SubmitRefusedError(`sbatch on ${this.runner.where} refused the resubmission of ${run.runId} (${describeExit(o)}):\n${o.stderr.trimEnd()}`);
    }
    // --parsable prints "<job id>[;<cluster>]".
    const jobId = /^(\d+)(?:;\S*)?$/m.exec(o.stdout.trim())?.[1];
    if (!jobId) throw new InternalError(`sbatch on ${this.runner.where} answered ${JSON.stringify(o.stdout.slice(0, 200))}, not a job id; the job may have been queued: check squeue`);
    const expectedRunId = expectedSlurmRunId(run, jobId);
    return { externalId: jobId, ...(expectedRunId ? { expectedRunId } : {}), detail: `submitted Slurm job ${jobId} on ${this.runner.where}${noRestore}`, ...base };
  }

  private runOptions(timeoutMs: number): { env?: Record<string, string>; timeoutMs: number } {
    return { ...(this.options.env ? { env: this.options.env } : {}), timeoutMs };
  }

  private async restore(argv: string[], plan: NonNullable<ReturnType<typeof planRestore>>, runId: string): Promise<void> {
    const o = await this.runner.run(argv, this.runOptions(this.options.restoreTimeoutMs ?? 30 * 60_000));
    if (o.exitCode !== 0) {
      const report = o.stdout.trim() !== "" ? `\n${o.stdout.trimEnd()}` : "";
      const Err = o.exitCode === 1 && o.stdout.includes('"matches": false') ? MismatchError : SubmitRefusedError;
      throw new Err(`restoring ${runId} on ${this.runner.where} failed (${describeExit(o)}), so nothing was submitted:\n${o.stderr.trimEnd()}${report}`);
    }
    let report: { code?: { into?: string } | null; environment?: { venvDir?: string } | null };
    try {
      report = JSON.parse(o.stdout) as typeof report;
    } catch (err) {
      throw new InternalError(`the restore on ${this.runner.where} printed no JSON report (${errorMessage(err)}); nothing was submitted`);
    }
    // The script was rewritten to the planned paths; a restore that put things elsewhere would
    // leave the job on the wrong code.
    const where = [
      ["code", plan.codeInto, report.code?.into],
      ["venv", plan.venvDir, report.environment?.venvDir],
    ] as const;
    for (const [what, planned, actual] of where) {
      if (planned !== undefined && planned !== actual) {
        throw new InternalError(`the restore on ${this.runner.where} put the ${what} in ${actual ?? "no folder"}, not ${planned}; nothing was submitted`);
      }
    }
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}
