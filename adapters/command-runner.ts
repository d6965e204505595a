// Where an adapter runs an orchestrator's own command (sbatch, scontrol, a restore): on this
// machine, or on a login node over SSH. One interface so the Slurm adapter builds a command once
// and does not care how it travels; implementations are chosen in the resubmitter factory.

export interface CommandOutcome {
  /** The exit status, or null when the command died of a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  /** Bytes written to the command's stdin, then closed (a batch script travels this way). */
  stdin?: string;
  /** Variables set for the command only, on top of the runner's environment. */
  env?: Record<string, string>;
  /** Kill the command after this long; the outcome then says so in `signal`. */
  timeoutMs?: number;
}

export interface CommandRunner {
  /** Where commands run, for messages: "this machine", "ssh://user@login:22". */
  readonly where: string;
  /**
   * Runs argv without a local shell. A remote runner joins argv with core/diff/shell-quote, so no
   * argument, whatever it holds, is read as shell syntax by the remote shell. Rejects only when
   * the command could not be started (host unreachable, key refused); a non-zero exit is an outcome.
   */
  run(argv: readonly string[], options?: RunCommandOptions): Promise<CommandOutcome>;
  close(): Promise<void>;
}
