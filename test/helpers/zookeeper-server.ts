// Starts a real ZooKeeper (Debian's `zookeeper` package: the server class run with Debian's java)
// standalone on a free loopback port with a data directory of its own, waits until it answers
// `ruok`, and stops it by PID. When the package is missing this throws: in CI a missing server is
// a failure, never a skip (.ci/run installs it).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./clickhouse-server.js";

export const ZOOKEEPER_JAR = process.env.SNAPTRAIL_TEST_ZOOKEEPER_JAR ?? "/usr/share/java/zookeeper.jar";
const JAVA = process.env.SNAPTRAIL_TEST_JAVA ?? "/usr/bin/java";

export interface ZooKeeperServer {
  dir: string;
  port: number;
  pid(): number | undefined;
  /** SIGKILL by PID and remove the data directory. */
  destroy(): Promise<void>;
}

/** Sends a four-letter command and returns the answer ("imok" for ruok). */
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
  for (const file of [ZOOKEEPER_JAR, JAVA]) {
    if (!existsSync(file)) {
      throw new Error(`${file} not found: install Debian's zookeeper package (.ci/run does) to run the replicated ClickHouse tests`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-zookeeper-"));
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
      "4lw.commands.whitelist=ruok",
      "maxClientCnxns=200",
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(
    JAVA,
    ["-Xmx256m", `-Dzookeeper.log.dir=${dir}`, "-cp", ZOOKEEPER_JAR, "org.apache.zookeeper.server.ZooKeeperServerMain", join(dir, "zoo.cfg")],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => (output = (output + s).slice(-4000)));
  child.stderr?.setEncoding("utf8").on("data", (s: string) => (output = (output + s).slice(-4000)));
  const kill = async (): Promise<void> => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise((resolve) => child.once("exit", resolve));
    process.kill(child.pid, "SIGKILL");
    await done;
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`zookeeper exited before it was ready (code ${child.exitCode})\n${output}`);
    }
    if ((await fourLetters(port, "ruok")) === "imok") break;
    if (Date.now() > deadline) {
      await kill();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`zookeeper did not answer ruok on 127.0.0.1:${port}\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    dir,
    port,
    pid: () => child.pid,
    async destroy() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
