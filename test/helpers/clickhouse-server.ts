// Starts a real clickhouse-server (Debian's package) on free loopback ports, in a temp dir with a
// config of its own, waits for GET /ping, and stops it by PID. When the binary is missing this
// throws: in CI a missing server is a failure, never a skip (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { freePort } from "./free-port.js";
import { tmpdir } from "node:os";
import { join } from "node:path";


export const CLICKHOUSE_BINARY = process.env.SNAPTRAIL_TEST_CLICKHOUSE_SERVER ?? "clickhouse-server";
/** SNAPTRAIL_TEST_KEEP_DIRS=1 keeps servers' directories (data and logs) after the test, to look into a failure. */
export const KEEP_DIRS = process.env.SNAPTRAIL_TEST_KEEP_DIRS === "1";

/** A user with a password, so tests exercise SNAPTRAIL_CLICKHOUSE_PASSWORD; `default` has none. */
export const TEST_USER = "snaptrail";
export const TEST_PASSWORD = "s3cret 'pass\\word";

export interface ClickHouseServerOptions {
  /** Extra XML inside <yandex> (remote_servers, zookeeper, macros for a replica). */
  extraConfig?: string;
  /** Ports to bind; free ones are picked by default. */
  httpPort?: number;
  tcpPort?: number;
  interserverPort?: number;
  startTimeoutMs?: number;
  /**
   * A replica (extraConfig names a ZooKeeper and distributed_ddl): ready only once it holds a
   * ZooKeeper session and its DDL worker serves the queue, not at the first /ping. 18.16 answers
   * /ping before its DDL worker has connected, and an ON CLUSTER query reaching it in between
   * dereferences the worker's missing session and crashes the server (SIGSEGV).
   */
  replica?: boolean;
}

export interface ClickHouseServer {
  dir: string;
  httpPort: number;
  tcpPort: number;
  interserverPort: number;
  /** "http://127.0.0.1:PORT" */
  httpUrl: string;
  pid(): number | undefined;
  /** A store URL for the password-protected test user: clickhouse://snaptrail@127.0.0.1:PORT/DB */
  storeUrl(database: string): string;
  /** Runs SQL over HTTP as `default` and returns the body (for test setup and checks). */
  sql(query: string): Promise<string>;
  /** SIGTERM by PID, SIGKILL after `timeoutMs`; the data directory is kept. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL by PID: a crash. ClickHouse answered inserts only after writing their parts, so they survive. */
  kill(): Promise<void>;
  /** Starts the server again on the same ports and data (after stop or kill). */
  start(): Promise<void>;
  /** Kills it and removes its directory. */
  destroy(): Promise<void>;
  /** How each process this helper started ended, oldest first, and whether the helper asked for it. */
  exits(): ServerExit[];
  /** For a failing test: its exits, and the tails of its stdout/stderr, server.log and error.log. */
  diagnostics(maxChars?: number): string;
}

export interface ServerExit {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** false when the server went away without the helper's stop/kill: a crash or an outside kill. */
  expected: boolean;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** A file's text from byte `offset` on ("" when there is none). */
function readFrom(file: string, offset: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const length = Math.max(0, fstatSync(fd).size - offset);
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, offset);
    return buffer.subarray(0, read).toString("utf8");
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The last `maxChars` of a file, or a note why there is none. */
export function fileTail(file: string, maxChars: number): string {
  try {
    const text = readFileSync(file, "utf8");
    return text.length > maxChars ? `...${text.slice(-maxChars)}` : text;
  } catch (err) {
    return `(${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
}


const xmlText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function usersXml(): string {
  const full = `<networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota>`;
  return `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users>
    <default><password></password>${full}</default>
    <${TEST_USER}><password>${xmlText(TEST_PASSWORD)}</password>${full}</${TEST_USER}>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}

function configXml(dir: string, ports: { http: number; tcp: number; interserver: number }, extra: string, level: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>${level}</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><size>100M</size><count>2</count></logger>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
${extra}
</yandex>
`;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startClickHouseServer(options: ClickHouseServerOptions = {}): Promise<ClickHouseServer> {
  const found = spawnSync("sh", ["-c", `command -v ${CLICKHOUSE_BINARY}`], { encoding: "utf8" });
  if (found.status !== 0) {
    throw new Error(
      `${CLICKHOUSE_BINARY} not found: install Debian's clickhouse-server and clickhouse-client (.ci/run does) to run the ClickHouse tests`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-clickhouse-"));
  for (const sub of ["log", "data", "tmp", "user_files", "format_schemas"]) mkdirSync(join(dir, sub), { recursive: true });
  const ports = {
    http: options.httpPort ?? (await freePort()),
    tcp: options.tcpPort ?? (await freePort()),
    interserver: options.interserverPort ?? (await freePort()),
  };
  writeFileSync(join(dir, "users.xml"), usersXml());
  // A replica logs at debug: its readiness is a DDL worker line, and a failure needs the ZooKeeper story.
  writeFileSync(join(dir, "config.xml"), configXml(dir, ports, options.extraConfig ?? "", options.replica ? "debug" : "information"));
  const serverLog = join(dir, "log", "server.log");
  const httpUrl = `http://127.0.0.1:${ports.http}`;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  let child: ChildProcess | undefined;
  let output = "";
  const exits: ServerExit[] = [];
  // Processes the helper itself is stopping or killing: their exit is not a crash.
  const stopping = new WeakSet<ChildProcess>();

  const logTail = (): string => `${output}\n${fileTail(join(dir, "log", "error.log"), 4000)}`.slice(-4000);

  // What a replica's DDL worker logs (debug) once it holds its ZooKeeper session and reads the
  // queue: "Processing tasks" in 18.16, "Initialized DDLWorker thread" / "Scheduling tasks" later.
  const DDL_WORKER_READY = /<Debug> DDLWorker: (Processing tasks|Initialized DDLWorker thread|Scheduling tasks)/;
  const replicaReady = async (logFrom: number): Promise<boolean> => {
    if (!DDL_WORKER_READY.test(readFrom(serverLog, logFrom))) return false;
    // The server's own session, the one table engines and queries use.
    const res = await fetch(`${httpUrl}/`, { method: "POST", body: "SELECT count() FROM system.zookeeper WHERE path = '/'", signal: AbortSignal.timeout(5000) });
    return res.ok;
  };

  const start = async (): Promise<void> => {
    output = "";
    // Only what this process logs counts for readiness: a restart appends to the same file.
    const logFrom = fileSize(serverLog);
    const proc = spawn(CLICKHOUSE_BINARY, [`--config-file=${join(dir, "config.xml")}`], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    proc.once("exit", (code, signal) => exits.push({ pid: proc.pid, code, signal, expected: stopping.has(proc) }));
    proc.stdout?.setEncoding("utf8").on("data", (s: string) => (output = (output + s).slice(-8000)));
    proc.stderr?.setEncoding("utf8").on("data", (s: string) => (output = (output + s).slice(-8000)));
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`clickhouse-server exited before it was ready (code ${proc.exitCode}, signal ${proc.signalCode})\n${logTail()}`);
      }
      try {
        const res = await fetch(`${httpUrl}/ping`, { signal: AbortSignal.timeout(1000) });
        if (res.ok && (await res.text()).startsWith("Ok") && (!options.replica || (await replicaReady(logFrom)))) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        stopping.add(proc);
        proc.kill("SIGKILL");
        const what = options.replica ? "have a ZooKeeper session and a running DDL worker" : `answer ${httpUrl}/ping`;
        throw new Error(`clickhouse-server did not ${what} within ${startTimeoutMs} ms\n${logTail()}\n${fileTail(serverLog, 4000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const stop = async (timeoutMs = 15_000): Promise<void> => {
    const proc = child;
    if (!proc || proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const done = exited(proc);
    stopping.add(proc);
    process.kill(proc.pid, "SIGTERM");
    const timer = setTimeout(() => {
      if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) process.kill(proc.pid, "SIGKILL");
    }, timeoutMs);
    await done;
    clearTimeout(timer);
  };

  const kill = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const done = exited(proc);
    stopping.add(proc);
    process.kill(proc.pid, "SIGKILL");
    await done;
  };

  try {
    await start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    dir,
    httpPort: ports.http,
    tcpPort: ports.tcp,
    interserverPort: ports.interserver,
    httpUrl,
    pid: () => child?.pid,
    storeUrl: (database) => `clickhouse://${TEST_USER}@127.0.0.1:${ports.http}/${database}`,
    async sql(query) {
      const res = await fetch(`${httpUrl}/`, { method: "POST", body: query });
      const text = await res.text();
      if (!res.ok) throw new Error(`ClickHouse answered ${res.status}: ${text}`);
      return text;
    },
    stop,
    kill,
    start,
    async destroy() {
      // The data is thrown away, so there is nothing for a graceful stop (seconds) to save.
      await kill();
      if (!KEEP_DIRS) rmSync(dir, { recursive: true, force: true });
    },
    exits: () => [...exits],
    diagnostics(maxChars = 6000) {
      const running = child && child.exitCode === null && child.signalCode === null ? `running as pid ${child.pid}` : "not running";
      const ended = exits.map((e) => `pid ${e.pid} exited: code ${e.code}, signal ${e.signal}${e.expected ? "" : " (not stopped by the helper)"}`);
      return [
        `clickhouse-server http ${ports.http} tcp ${ports.tcp} interserver ${ports.interserver}: ${running}`,
        ...ended,
        `--- stdout/stderr\n${output.slice(-maxChars)}`,
        `--- ${join(dir, "log", "error.log")}\n${fileTail(join(dir, "log", "error.log"), maxChars)}`,
        `--- ${join(dir, "log", "server.log")}\n${fileTail(join(dir, "log", "server.log"), maxChars)}`,
      ].join("\n");
    },
  };
}

export interface ClickHouseCluster {
  /** The remote_servers entry every replica knows: the store URL's `cluster=`. */
  name: string;
  replicas: ClickHouseServer[];
  /** A store URL for replica `i`: replicated tables, DDL ON CLUSTER. */
  storeUrl(i: number, database: string): string;
  destroy(): Promise<void>;
  /** Every replica's diagnostics, for a failing test. */
  diagnostics(maxChars?: number): string;
}

/**
 * The config a replica needs beside its own (deploy/clickhouse/README.md): the ZooKeeper to
 * coordinate through, its {shard}/{replica} macros, and the one-shard cluster naming every
 * replica by its native port (distributed DDL finds itself in that list by port).
 */
export function replicaConfig(o: { zookeeperPort: number; cluster: string; replica: string; tcpPorts: number[] }): string {
  const replicas = o.tcpPorts.map((port) => `<replica><host>127.0.0.1</host><port>${port}</port></replica>`).join("");
  return `
  <zookeeper><node><host>127.0.0.1</host><port>${o.zookeeperPort}</port></node><session_timeout_ms>10000</session_timeout_ms></zookeeper>
  <macros><shard>01</shard><replica>${o.replica}</replica></macros>
  <remote_servers><${o.cluster}><shard><internal_replication>true</internal_replication>${replicas}</shard></${o.cluster}></remote_servers>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>`;
}

/** Starts `count` replicas of one shard on loopback, coordinated through the ZooKeeper on `zookeeperPort`. */
export async function startClickHouseCluster(zookeeperPort: number, count = 2, name = "snaptrail"): Promise<ClickHouseCluster> {
  const ports = [];
  for (let i = 0; i < count; i++) ports.push({ http: await freePort(), tcp: await freePort(), interserver: await freePort() });
  const tcpPorts = ports.map((p) => p.tcp);
  const started = await Promise.allSettled(
    ports.map((p, i) =>
      startClickHouseServer({
        httpPort: p.http,
        tcpPort: p.tcp,
        interserverPort: p.interserver,
        extraConfig: replicaConfig({ zookeeperPort, cluster: name, replica: `replica-${i + 1}`, tcpPorts }),
        replica: true,
      }),
    ),
  );
  const replicas = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await Promise.all(replicas.map((r) => r.destroy()));
    throw failed.reason;
  }
  return {
    name,
    replicas,
    storeUrl: (i, database) => `${replicas[i]!.storeUrl(database)}?replicated=1&cluster=${name}`,
    async destroy() {
      await Promise.all(replicas.map((r) => r.destroy()));
    },
    diagnostics: (maxChars) => replicas.map((r, i) => `=== replica ${i + 1}: ${r.diagnostics(maxChars)}`).join("\n"),
  };
}
