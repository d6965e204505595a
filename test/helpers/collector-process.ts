// Starts the collector as a real child process (`snaptrail collector`, node dist/cli/main.js) on free
// loopback ports, in a temp folder of its own, and waits for its ready line. Fails, never skips,
// when it does not come up. The folder (the SQLite file by default, and collector.log) stays after
// the process ends: tests restart a collector on the same data.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeServerDir, startServerProcess } from "./server-process.js";

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
  /** The CLI script node runs; the repo's bundle by default (an installed package's bin, to test what it ships). */
  cli?: string;
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

type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

export async function startCollectorProcess(options: CollectorProcessOptions = {}): Promise<CollectorProcess> {
  const dir = makeServerDir("collector");
  const db = options.db ?? join(dir, "snaptrail.db");
  const args = [
    options.cli ?? SNAPTRAIL_CLI,
    "collector",
    ...(options.store ? ["--store", options.store] : ["--db", db]),
    "--listen",
    options.listen ?? "127.0.0.1:0",
    "--http",
    options.http ?? "127.0.0.1:0",
    ...(options.blobDir ? ["--blob-dir", options.blobDir] : []),
    ...(options.args ?? []),
  ];
  const server = await startServerProcess({
    name: "collector",
    command: process.execPath,
    args,
    dir,
    env: { ...process.env, SNAPTRAIL_LOG_LEVEL: "info", ...options.env },
    // Its first stdout line: {"grpc": "127.0.0.1:PORT", "http": "http://127.0.0.1:PORT"}.
    ready: (s) => s.stdout().includes("\n"),
    readyMeans: "print its ready line",
    readyTimeoutMs: options.startTimeoutMs ?? 15_000,
    pollMs: 20,
    // Tests read the whole of its log (every error line, every failed batch).
    keepChars: Infinity,
  });
  const line = server.stdout().slice(0, server.stdout().indexOf("\n"));
  let ready: { grpc: string; http: string };
  try {
    ready = JSON.parse(line) as { grpc: string; http: string };
  } catch {
    await server.kill();
    throw new Error(`collector process printed "${line}" instead of its ready line\nstderr:\n${server.stderr()}`);
  }
  const status = (exit: ExitStatus): ExitStatus => ({ code: exit.code, signal: exit.signal });

  return {
    grpcAddress: ready.grpc,
    httpUrl: ready.http,
    pid: server.pid,
    db,
    stderr: () => server.stderr(),
    exitStatus: () => {
      const exit = server.exitStatus();
      return exit && status(exit);
    },
    stop: async (timeoutMs = 10_000) => status(await server.stop(timeoutMs)),
    kill: async () => void (await server.kill()),
  };
}
