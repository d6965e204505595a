import { spawn, type ChildProcess } from "node:child_process";
import { errorMessage } from "../../core/errors.js";

export interface ChildOutcome {
  /** The command's exit code; null when it died by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  /** Why it could not be started, when it could not. */
  startError?: string;
}

const ALWAYS_FORWARDED: NodeJS.Signals[] = ["SIGTERM", "SIGHUP", "SIGUSR1", "SIGUSR2"];

/**
 * Runs the job with the agent's own stdin, stdout and stderr (inherited, so bytes and TTYs are
 * untouched) and forwards the signals an orchestrator sends to stop or poke it.
 */
export function runChild(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ChildOutcome> {
  const started = performance.now();
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    let settled = false;
    const forwarded = [...ALWAYS_FORWARDED];
    // On a terminal, Ctrl-C already reaches the whole foreground process group, the job
    // included; forwarding it again would interrupt the job twice.
    if (!process.stdin.isTTY) forwarded.push("SIGINT");
    else process.on("SIGINT", ignore);

    // Listening before the spawn, not after: spawn() returns once the job has exec'd, and on a
    // loaded machine the agent may not run its next statement before the job is up and its
    // parent (an orchestrator, a test) sends SIGTERM. With no listener yet, that signal's default
    // action killed the agent and left the job running unsignalled. A signal caught here is
    // dispatched on a later turn of the event loop, when `child` is set.
    let child: ChildProcess | undefined;
    const forward = (signal: NodeJS.Signals) => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const s of forwarded) process.on(s, forward);
    const settle = (outcome: Omit<ChildOutcome, "durationMs">) => {
      if (settled) return;
      settled = true;
      for (const s of forwarded) process.off(s, forward);
      process.off("SIGINT", ignore);
      resolve({ ...outcome, durationMs: Math.round(performance.now() - started) });
    };
    try {
      child = spawn(file!, args, { cwd: options.cwd, env: options.env, stdio: "inherit" });
    } catch (err) {
      // Arguments spawn refuses outright (a NUL byte): the listeners must not outlive the call.
      settle({ exitCode: 126, signal: null, startError: `cannot run ${file}: ${errorMessage(err)}` });
      return;
    }
    child.on("error", (err: NodeJS.ErrnoException) => {
      // Shell conventions: 127 for a command that is not there, 126 for one that cannot run.
      const exitCode = err.code === "ENOENT" ? 127 : 126;
      settle({ exitCode, signal: null, startError: `cannot run ${file}: ${err.code === "ENOENT" ? "command not found" : err.message}` });
    });
    child.on("exit", (code, signal) => settle({ exitCode: code, signal }));
  });
}

function ignore(): void {}
