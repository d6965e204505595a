import { spawn } from "node:child_process";
import { UnavailableError } from "../../../core/errors.js";

export interface RunInstallerOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs: number;
  /** Each output line, stdout and stderr alike (pip says what it collects on stdout, uv on stderr). */
  onLine?: (line: string) => void;
  /** For the error message: "pip install", "uv pip install". */
  what: string;
}

const TAIL_LINES = 20;

/**
 * Runs one installer command to its end. A failure throws UNAVAILABLE with the installer's last
 * stderr lines (or stdout's, when stderr is empty), which is where pip and uv say what went wrong.
 */
export function runInstaller(file: string, args: readonly string[], opts: RunInstallerOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    const tails = { stdout: [] as string[], stderr: [] as string[] };
    const pending = { stdout: "", stderr: "" };
    const take = (stream: "stdout" | "stderr", chunk: Buffer): void => {
      const lines = (pending[stream] + chunk.toString("utf8")).split(/\r?\n|\r/);
      pending[stream] = lines.pop() ?? "";
      for (const line of lines) {
        if (line.trim() === "") continue;
        tails[stream].push(line);
        if (tails[stream].length > TAIL_LINES) tails[stream].shift();
        opts.onLine?.(line);
      }
    };
    child.stdout.on("data", (c: Buffer) => take("stdout", c));
    child.stderr.on("data", (c: Buffer) => take("stderr", c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
    }, opts.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new UnavailableError(`${opts.what} could not start (${file}): ${err.message}`, { cause: err }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      for (const s of ["stdout", "stderr"] as const) if (pending[s].trim() !== "") tails[s].push(pending[s]);
      if (code === 0) {
        resolve();
        return;
      }
      const how = timedOut ? `did not finish within ${opts.timeoutMs} ms` : signal ? `was killed by ${signal}` : `failed (exit ${code ?? "?"})`;
      const tail = (tails.stderr.length > 0 ? tails.stderr : tails.stdout).map((l) => `  ${l}`).join("\n");
      reject(new UnavailableError(`${opts.what} ${how}${tail === "" ? "" : `; its last lines:\n${tail}`}`));
    });
  });
}
