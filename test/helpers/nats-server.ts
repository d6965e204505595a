// Starts a real nats-server (Debian's package, 2.9.10) with JetStream on a free loopback port
// and its own store directory, waits until it accepts connections, restarts it on the same
// port and data, and stops it by PID. Never the machine's own server on 4222. When the binary
// is missing this throws: in CI a missing server is a failure, never a skip (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect as connectTcp } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

export const NATS_SERVER_BINARY = process.env.SNAPTRAIL_TEST_NATS_SERVER ?? "nats-server";

export interface NatsServerOptions {
  port?: number;
  startTimeoutMs?: number;
}

export interface NatsServer {
  port: number;
  /** nats://127.0.0.1:PORT */
  url: string;
  /** JetStream's store directory (kept across restarts). */
  storeDir: string;
  pid(): number | undefined;
  /** What the server printed (its log), the last 8 KB. */
  output(): string;
  /** SIGTERM by PID (JetStream flushes), SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL by PID. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store (after stop or kill). */
  start(): Promise<void>;
  /** Stop then start. */
  restart(): Promise<void>;
  /** Kills it and removes its directory. */
  destroy(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Resolves once the port takes a TCP connection and the server sends its INFO line. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: "127.0.0.1", port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("data", (d: Buffer) => done(d.toString("utf8").startsWith("INFO ")));
  });
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const found = spawnSync("sh", ["-c", `command -v ${NATS_SERVER_BINARY}`], { encoding: "utf8" });
  if (found.status !== 0) {
    throw new Error(`${NATS_SERVER_BINARY} not found: install Debian's nats-server (.ci/run does) to run the NATS tests`);
  }
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-nats-"));
  const storeDir = join(dir, "jetstream");
  const port = options.port ?? (await freePort());
  if (port === 4222) throw new Error("refusing port 4222: that is the machine's own nats-server");
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  let child: ChildProcess | undefined;
  let output = "";

  const start = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    output = "";
    const proc = spawn(NATS_SERVER_BINARY, ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir], { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    const keep = (s: string): void => {
      output = (output + s).slice(-8000);
    };
    proc.stdout?.setEncoding("utf8").on("data", keep);
    proc.stderr?.setEncoding("utf8").on("data", keep);
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`nats-server exited before it was ready (code ${proc.exitCode}, signal ${proc.signalCode})\n${output}`);
      }
      // JetStream is ready once the log says so; the port alone can open a moment before.
      if (/Server is ready/.test(output) && (await greets(port))) return;
      if (Date.now() > deadline) {
        proc.kill("SIGKILL");
        throw new Error(`nats-server on port ${port} not ready within ${startTimeoutMs} ms\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const signal = async (sig: NodeJS.Signals, timeoutMs: number): Promise<void> => {
    const proc = child;
    if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
    const done = exited(proc);
    process.kill(proc.pid, sig);
    const timer = setTimeout(() => {
      if (proc.exitCode === null && proc.signalCode === null && proc.pid) process.kill(proc.pid, "SIGKILL");
    }, timeoutMs);
    await done;
    clearTimeout(timer);
    output = "";
  };

  await start();
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    storeDir,
    pid: () => child?.pid,
    output: () => output,
    stop: (timeoutMs = 10_000) => signal("SIGTERM", timeoutMs),
    kill: () => signal("SIGKILL", 0),
    start,
    async restart() {
      await signal("SIGTERM", 10_000);
      await start();
    },
    async destroy() {
      await signal("SIGKILL", 0);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
