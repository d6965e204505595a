// Starts the collector as a real child process (`snaptrail collector`, node dist/cli/main.js) on free
// loopback ports and waits for its ready line. Fails, never skips, when it does not come up.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** dist/test/helpers/ -> dist/cli-bundle/main.js: the tests run the bundle the `snaptrail` bin runs */
export const SNAPTRAIL_CLI = fileURLToPath(new URL("../../cli-bundle/main.js", import.meta.url));

export interface CollectorProcessOptions {
  /** SQLite file; a fresh temp dir's snaptrail.db by default. Reuse it to restart on the same data. */
  db?: string;
  /** A store URL (`--store`, e.g. clickhouse://...) instead of `--db`; then give blobDir too. */
  store?: string;
  blobDir?: string;
  listen?: string;
  http?: string;
  /** More flags, e.g. ["--max-message-bytes", "65536"]. */
  args?: string[];
  /** Extra env vars (merged over process.env). */
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

export interface CollectorProcess {
  grpcAddress: string;
  httpUrl: string;
  pid: number;
  db: string;
  /** What the process wrote on stderr so far (pino JSON lines). */
  stderr(): string;
  /** How it exited, or undefined while it runs: for a failing test's diagnostics. */
  exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM (a clean close), then SIGKILL after `timeoutMs`. Resolves with how it exited. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL now: a crash, as far as the collector can tell. */
  kill(): Promise<void>;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

export async function startCollectorProcess(options: CollectorProcessOptions = {}): Promise<CollectorProcess> {
  const db = options.db ?? join(mkdtempSync(join(tmpdir(), "snaptrail-collector-")), "snaptrail.db");
  const args = [
    SNAPTRAIL_CLI,
    "collector",
    ...(options.store ? ["--store", options.store] : ["--db", db]),
    "--listen",
    options.listen ?? "127.0.0.1:0",
    "--http",
    options.http ?? "127.0.0.1:0",
    ...(options.blobDir ? ["--blob-dir", options.blobDir] : []),
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, SNAPTRAIL_LOG_LEVEL: "info", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${SNAPTRAIL_CLI}`);

  const ready = await new Promise<{ grpc: string; http: string }>((resolve, reject) => {
    let stdout = "";
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`collector process ${why}\nstderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`printed no ready line within ${options.startTimeoutMs ?? 15_000} ms`), options.startTimeoutMs ?? 15_000);
    child.once("exit", (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      try {
        resolve(JSON.parse(stdout.slice(0, newline)) as { grpc: string; http: string });
      } catch {
        fail(`printed "${stdout.slice(0, newline)}" instead of its ready line`);
      }
    });
  });

  return {
    grpcAddress: ready.grpc,
    httpUrl: ready.http,
    pid,
    db,
    stderr: () => stderr,
    exitStatus: () => (child.exitCode !== null || child.signalCode !== null ? { code: child.exitCode, signal: child.signalCode } : undefined),
    async stop(timeoutMs = 10_000) {
      const done = exited(child);
      if (child.exitCode !== null || child.signalCode !== null) return done;
      process.kill(pid, "SIGTERM");
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(pid, "SIGKILL");
      }, timeoutMs);
      const result = await done;
      clearTimeout(timer);
      return result;
    },
    async kill() {
      const done = exited(child);
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, "SIGKILL");
      await done;
    },
  };
}
