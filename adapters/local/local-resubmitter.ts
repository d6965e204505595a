import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { shellJoin } from "../../core/diff/shell-quote.js";
import { BadInputError, SnaptrailError, UnavailableError } from "../../core/errors.js";
import { fail, ok, type Result } from "../../core/result.js";
import type { Resubmission, ResubmitRequest, Resubmitter } from "../resubmitter.js";

export interface LocalResubmitterOptions {
  /** The snaptrail that runs now (node and its script), so the re-run uses the same version. */
  snaptrail: string[];
  collectorHttp: string;
  env?: NodeJS.ProcessEnv;
  /** Where to run when the recorded working directory is gone. */
  cwd?: string;
  /** Send the command's stdout to stderr, so `resubmit --json` keeps stdout for its answer. */
  stdoutToStderr?: boolean;
}

/**
 * A LOCAL run (recorded by `snaptrail wrap` outside any orchestrator) is re-run here: its recorded
 * argv under `snaptrail wrap --restore RUN`, which restores and verifies the code and venv, runs
 * the command in them and records the new run with rollback_of. Output passes through; the exit
 * status comes back in the Resubmission.
 */
export class LocalResubmitter implements Resubmitter {
  readonly kind = "LOCAL" as const;

  constructor(private readonly options: LocalResubmitterOptions) {}

  async resubmit(request: ResubmitRequest): Promise<Result<Resubmission>> {
    const { run } = request;
    try {
      const o = request.overrides ?? {};
      const asked = (["gres", "partition", "time", "step"] as const).filter((k) => o[k] !== undefined);
      if (asked.length > 0) {
        throw new BadInputError(`${run.runId} is a local run, re-run here as recorded: --${asked.join(", --")} apply to Slurm (and --step to Airflow and Kubeflow)`);
      }
      const argv = run.config?.argv ?? [];
      if (argv.length === 0) throw new BadInputError(`${run.runId} recorded no command line, so there is nothing to re-run`);
      const recordedCwd = run.config?.cwd ?? "";
      const cwd = recordedCwd !== "" && existsSync(recordedCwd) ? recordedCwd : (this.options.cwd ?? process.cwd());
      const command = [...this.options.snaptrail, "wrap", "--restore", run.runId, "--collector-http", this.options.collectorHttp, "--", ...argv];
      const commands = [`cd ${shellJoin([cwd])} && ${shellJoin(command)}`];
      if (request.dryRun) return ok({ externalId: "", detail: `dry run: nothing run`, commands });
      const [file, ...args] = command;
      const { code, signal, pid } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; pid: number }>((resolve, reject) => {
        const child = spawn(file ?? "snaptrail", args, { cwd, env: this.options.env ?? process.env, stdio: [0, this.options.stdoutToStderr ? 2 : 1, 2] });
        child.on("error", (err) => reject(new UnavailableError(`cannot start ${file ?? "snaptrail"}: ${err.message}`, { cause: err })));
        child.on("close", (c, s) => resolve({ code: c, signal: s, pid: child.pid ?? 0 }));
      });
      const exitCode = signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1);
      return ok({ externalId: String(pid), detail: `re-ran ${run.runId} here in its restored code and environment: ${signal ? `killed by ${signal}` : `exit ${exitCode}`}`, commands, exitCode });
    } catch (err) {
      if (err instanceof SnaptrailError) return fail(err, false);
      throw err;
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
