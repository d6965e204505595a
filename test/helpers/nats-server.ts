// Starts a real nats-server (Debian's package, 2.9.10) with JetStream on a free loopback port
// and its own store directory, waits until it accepts connections, restarts it on the same
// port and data, and stops it by PID. Never the machine's own server on 4222. When the binary
// is missing this throws: in CI a missing server is a failure, never a skip (.ci/run installs it).
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { greets } from "./greets.js";
import { makeServerDir, removeServerDir, requireExecutable, startServerProcess, type ServerProcess } from "./server-process.js";

export const NATS_SERVER_BINARY = process.env.SNAPTRAIL_TEST_NATS_SERVER ?? "nats-server";

export interface NatsServerOptions {
  port?: number;
  startTimeoutMs?: number;
  /** A nats-server config file (-c), e.g. deploy/nats/nats-server.conf; the flags still set address, port and store. */
  config?: string;
  /** Variables the config refers to ($NAME). */
  env?: NodeJS.ProcessEnv;
}

export interface NatsServer {
  /** Its folder: the JetStream store and nats-server.log. */
  dir: string;
  port: number;
  /** nats://127.0.0.1:PORT */
  url: string;
  /** JetStream's store directory (kept across restarts). */
  storeDir: string;
  pid(): number | undefined;
  /** What the server printed since it last started (its log), the last 8 KB. */
  output(): string;
  /** SIGTERM by PID (JetStream flushes), SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL by PID. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store (after stop or kill). */
  start(): Promise<void>;
  /** Stop then start. */
  restart(): Promise<void>;
  /** Kills it and removes its directory (kept when SNAPTRAIL_TEST_KEEP_DIRS=1). */
  destroy(): Promise<void>;
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  requireExecutable(NATS_SERVER_BINARY, "install Debian's nats-server (.ci/run does) to run the NATS tests");
  const port = options.port ?? (await freePort());
  if (port === 4222) throw new Error("refusing port 4222: that is the machine's own nats-server");
  const dir = makeServerDir("nats");
  const storeDir = join(dir, "jetstream");
  let server: ServerProcess | undefined;

  const start = async (): Promise<void> => {
    if (server && server.exitStatus() === undefined) return;
    server = undefined;
    server = await startServerProcess({
      name: "nats-server",
      command: NATS_SERVER_BINARY,
      args: [...(options.config ? ["-c", options.config] : []), "-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir],
      ...(options.env ? { env: options.env } : {}),
      dir,
      // JetStream is ready once the log says so; the port alone can open a moment before.
      ready: async (s) => /Server is ready/.test(s.output()) && (await greets(port, "INFO ")),
      readyMeans: `take connections on port ${port}`,
      readyTimeoutMs: options.startTimeoutMs ?? 15_000,
      keepChars: 8000,
    });
  };

  try {
    await start();
  } catch (err) {
    removeServerDir(dir);
    throw err;
  }
  return {
    dir,
    port,
    url: `nats://127.0.0.1:${port}`,
    storeDir,
    pid: () => server?.pid,
    output: () => server?.output() ?? "",
    stop: async (timeoutMs = 10_000) => void (await server?.stop(timeoutMs)),
    kill: async () => void (await server?.kill()),
    start,
    async restart() {
      await server?.stop(10_000);
      await start();
    },
    async destroy() {
      await server?.kill();
      removeServerDir(dir);
    },
  };
}
