import { execFile } from "node:child_process";

export interface RunCommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** stdout above this kills the command and gives `tooLarge`. */
  maxBuffer?: number;
}

export type CommandOutcome =
  | { ok: true; stdout: Buffer; stderr: string }
  | {
      ok: false;
      /** notFound: the executable (or the cwd) does not exist; failed: non-zero exit or a signal. */
      reason: "notFound" | "failed" | "timeout" | "tooLarge" | "error";
      exitCode: number | null;
      stdout: Buffer;
      stderr: string;
      message: string;
    };

/**
 * Runs an executable without a shell and never rejects: every way it can go wrong comes back as
 * a value, because the capture path must not throw for a bad environment.
 */
export function runCommand(file: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    try {
      execFile(
        file,
        args,
        {
          cwd: options.cwd,
          env: options.env,
          timeout: options.timeoutMs ?? 10_000,
          maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
          encoding: "buffer",
          windowsHide: true,
        },
        (error, stdout, stderrBuf) => {
          const stderr = stderrBuf.toString("utf8");
          if (!error) {
            resolve({ ok: true, stdout, stderr });
            return;
          }
          const err = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: unknown };
          let reason: "notFound" | "failed" | "timeout" | "tooLarge" | "error" = "error";
          if (err.code === "ENOENT" || err.code === "EACCES" || err.code === "ENOTDIR") reason = "notFound";
          else if (err.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") reason = "tooLarge";
          else if (err.killed === true && err.signal === "SIGTERM") reason = "timeout";
          else if (typeof err.code === "number" || err.signal) reason = "failed";
          resolve({
            ok: false,
            reason,
            exitCode: typeof err.code === "number" ? err.code : null,
            stdout,
            stderr,
            // Some tools (nvidia-smi) print their failure on stdout.
            message: reason === "failed" ? firstLine(stderr) || firstLine(stdout.toString("utf8")) || err.message : err.message,
          });
        },
      ).stdin?.end();
    } catch (error) {
      resolve({ ok: false, reason: "error", exitCode: null, stdout: Buffer.alloc(0), stderr: "", message: String(error) });
    }
  });
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim() !== "")?.trim() ?? "";
}
