import { spawn, type ChildProcess } from "node:child_process";
import { SNAPTRAIL_CLI } from "./collector-process.js";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs `snaptrail ARGS` as a real process; `input` is written to its stdin, then closed. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: Buffer; onSpawn?: (child: ChildProcess) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SNAPTRAIL_CLI, ...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out), stderr }));
    child.stdin.on("error", () => {}); // a job that never reads its stdin closes the pipe early
    child.stdin.end(options.input ?? Buffer.alloc(0));
    options.onSpawn?.(child);
  });
}
