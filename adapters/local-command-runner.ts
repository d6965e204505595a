// Runs an orchestrator's command (sbatch, scontrol) on this machine: `resubmit --local`, and a
// login node where snaptrail itself runs. spawn() with an argv and no shell, so no argument is
// ever read as shell syntax; the SSH runner gets the same guarantee from shell-quote.
import { spawn } from "node:child_process";
import { NotFoundError, UnavailableError } from "../core/errors.js";
import { checkArgv } from "./check-argv.js";
import type { CommandOutcome, CommandRunner, RunCommandOptions } from "./command-runner.js";

export interface LocalCommandRunnerOptions {
  /** The environment every command starts from (`run`'s `env` goes on top); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The folder commands run in; this process's own by default. */
  cwd?: string;
  /** After a timeout's SIGTERM, how long a command may take to end before SIGKILL. */
  killGraceMs?: number;
}

const DEFAULT_KILL_GRACE_MS = 5_000;

export class LocalCommandRunner implements CommandRunner {
  readonly where = "this machine";
  readonly #env: NodeJS.ProcessEnv;
  readonly #cwd: string | undefined;
  readonly #killGraceMs: number;

  constructor(options: LocalCommandRunnerOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#cwd = options.cwd;
    this.#killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  }

  run(argv: readonly string[], options: RunCommandOptions = {}): Promise<CommandOutcome> {
    return new Promise<CommandOutcome>((resolve, reject) => {
      checkArgv(argv, options.env);
      const [command = "", ...args] = argv;
      const child = spawn(command, args, {
        cwd: this.#cwd,
        env: { ...this.#env, ...options.env },
        stdio: ["pipe", "pipe", "pipe"],
        shell: false,
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      // A command that exits without reading its stdin closes the pipe under us; its exit status
      // says what happened, the EPIPE adds nothing.
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.stdin ?? "");

      let timedOut: NodeJS.Signals | undefined;
      let timer: NodeJS.Timeout | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          timedOut = "SIGTERM";
          child.kill("SIGTERM");
          killTimer = setTimeout(() => {
            timedOut = "SIGKILL";
            child.kill("SIGKILL");
          }, this.#killGraceMs);
        }, options.timeoutMs);
      }
      const settle = (): void => {
        clearTimeout(timer);
        clearTimeout(killTimer);
      };
      child.once("error", (err: NodeJS.ErrnoException) => {
        settle();
        // "error" without a pid: it never started. With one, a kill failed, and "close" still comes.
        if (child.pid !== undefined) return;
        if (err.code === "ENOENT") reject(new NotFoundError(`${command} not found on ${this.where} (is it installed and on PATH?)`, { cause: err }));
        else reject(new UnavailableError(`could not start ${command} on ${this.where}: ${err.message}`, { cause: err }));
      });
      child.once("close", (code, signal) => {
        settle();
        resolve({
          exitCode: code,
          signal: signal ?? (code === null ? (timedOut ?? null) : null),
          stdout: Buffer.concat(stdout).toString("utf8"),
          stderr: Buffer.concat(stderr).toString("utf8"),
        });
      });
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
