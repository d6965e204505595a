// Starts a real ZooKeeper (Debian's `zookeeper` package: the server class run with Debian's java)
// standalone on a free loopback port with a data directory of its own, waits until it serves
// sessions, and stops it by PID. When the package is missing this throws: in CI a missing server
// is a failure, never a skip (.ci/run installs it).
//
// Ready means `srvr` reports a mode, not that `ruok` answers `imok`: ZooKeeper answers `imok` as
// soon as its port is bound, while it is still loading its database, and for the next 0.3-1 s
// (longer on a loaded machine) it closes every session handshake ("ZooKeeperServer not
// running"). A clickhouse-server 18.16 started in that window fails its DDL worker's first
// connect, and an ON CLUSTER query reaching it before the worker's retry crashes it (SIGSEGV).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { makeServerDir, removeServerDir, requireExecutable, startServerProcess, type ServerProcess } from "./server-process.js";

export const ZOOKEEPER_JAR = process.env.SNAPTRAIL_TEST_ZOOKEEPER_JAR ?? "/usr/share/java/zookeeper.jar";
const JAVA = process.env.SNAPTRAIL_TEST_JAVA ?? "/usr/bin/java";
// Without an SLF4J binding on the class path ZooKeeper logs nothing at all; slf4j-simple (Debian's
// libslf4j-java, which the zookeeper package pulls in) writes INFO and above to stderr.
const SLF4J_SIMPLE = "/usr/share/java/slf4j-simple.jar";

export interface ZooKeeperServer {
  dir: string;
  port: number;
  pid(): number | undefined;
  /** SIGKILL by PID and remove the data directory. */
  destroy(): Promise<void>;
  /** How it exited if it did, and the tail of what it logged (its console log), for a failing test. */
  diagnostics(maxChars?: number): string;
}

/** Sends a four-letter command and returns the answer ("" when the connection fails). */
function fourLetters(port: number, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve) => {
    let answer = "";
    const socket = connect({ host: "127.0.0.1", port }, () => socket.end(command));
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.setEncoding("utf8").on("data", (s: string) => (answer += s));
    socket.on("error", () => resolve(""));
    socket.on("close", () => resolve(answer));
  });
}

export async function startZooKeeper(options: { startTimeoutMs?: number } = {}): Promise<ZooKeeperServer> {
  const install = "install Debian's zookeeper package (.ci/run does) to run the replicated ClickHouse tests";
  if (!existsSync(ZOOKEEPER_JAR)) throw new Error(`${ZOOKEEPER_JAR} not found: ${install}`);
  requireExecutable(JAVA, install);
  const dir = makeServerDir("zookeeper");
  mkdirSync(join(dir, "data"));
  const port = await freePort();
  // Standalone, loopback only, no admin HTTP server (it would take port 8080), short ticks so
  // sessions of stopped servers expire in seconds.
  writeFileSync(
    join(dir, "zoo.cfg"),
    [
      "tickTime=500",
      `dataDir=${join(dir, "data")}`,
      `clientPort=${port}`,
      "clientPortAddress=127.0.0.1",
      "admin.enableServer=false",
      "4lw.commands.whitelist=srvr",
      "maxClientCnxns=200",
      "",
    ].join("\n"),
  );
  const classPath = existsSync(SLF4J_SIMPLE) ? `${ZOOKEEPER_JAR}:${SLF4J_SIMPLE}` : ZOOKEEPER_JAR;
  let server: ServerProcess;
  try {
    // ZooKeeper logs to the console, which lands in <dir>/zookeeper.log, kept with the data when the test keeps dirs.
    server = await startServerProcess({
      name: "zookeeper",
      command: JAVA,
      args: ["-Xmx256m", "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", classPath, "org.apache.zookeeper.server.ZooKeeperServerMain", join(dir, "zoo.cfg")],
      dir,
      // "This ZooKeeper instance is not currently serving requests" until it is.
      ready: async () => (await fourLetters(port, "srvr")).includes("Mode: "),
      readyMeans: `serve requests on 127.0.0.1:${port} (srvr)`,
      readyTimeoutMs: options.startTimeoutMs ?? 30_000,
      pollMs: 100,
    });
  } catch (err) {
    removeServerDir(dir);
    throw err;
  }
  const started = server;
  return {
    dir,
    port,
    pid: () => started.pid,
    async destroy() {
      await started.kill();
      removeServerDir(dir);
    },
    diagnostics(maxChars = 6000) {
      const exit = started.exitStatus();
      const state = exit
        ? `exited: code ${exit.code}, signal ${exit.signal}${exit.expected ? "" : " (not stopped by the helper)"}`
        : `running as pid ${started.pid}`;
      return `zookeeper 127.0.0.1:${port}: ${state}\n--- ${join(dir, "zookeeper.log")}\n${started.output(maxChars)}`;
    },
  };
}
