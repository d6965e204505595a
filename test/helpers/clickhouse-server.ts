// Starts a real clickhouse-server (Debian's package) on free loopback ports, in a temp dir with a
// config of its own, waits for GET /ping, and stops it by PID. When the binary is missing this
// throws: in CI a missing server is a failure, never a skip (.ci/run installs it).
import { closeSync, fstatSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { fileTail, makeServerDir, removeServerDir, requireExecutable, startServerProcess, type ServerExit, type ServerProcess } from "./server-process.js";

export const CLICKHOUSE_BINARY = process.env.SNAPTRAIL_TEST_CLICKHOUSE_SERVER ?? "clickhouse-server";

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
  /** Kills it and removes its directory (kept when SNAPTRAIL_TEST_KEEP_DIRS=1). */
  destroy(): Promise<void>;
  /** How each process this helper started ended, oldest first, and whether the helper asked for it. */
  exits(): ServerExit[];
  /** For a failing test: its exits, and the tails of its stdout/stderr, server.log and error.log. */
  diagnostics(maxChars?: number): string;
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

export async function startClickHouseServer(options: ClickHouseServerOptions = {}): Promise<ClickHouseServer> {
  requireExecutable(CLICKHOUSE_BINARY, "install Debian's clickhouse-server and clickhouse-client (.ci/run does) to run the ClickHouse tests");
  const dir = makeServerDir("clickhouse");
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
  const errorLog = join(dir, "log", "error.log");
  const httpUrl = `http://127.0.0.1:${ports.http}`;
  let server: ServerProcess | undefined;
  const exits: ServerExit[] = [];

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
    // Only what this process logs counts for readiness: a restart appends to the same file.
    const logFrom = fileSize(serverLog);
    server = undefined;
    const started = await startServerProcess({
      name: "clickhouse-server",
      command: CLICKHOUSE_BINARY,
      args: [`--config-file=${join(dir, "config.xml")}`],
      dir,
      ready: async () => {
        const res = await fetch(`${httpUrl}/ping`, { signal: AbortSignal.timeout(1000) });
        return res.ok && (await res.text()).startsWith("Ok") && (!options.replica || (await replicaReady(logFrom)));
      },
      readyMeans: options.replica ? "have a ZooKeeper session and a running DDL worker" : `answer ${httpUrl}/ping`,
      readyTimeoutMs: options.startTimeoutMs ?? 60_000,
      pollMs: 100,
      diagnostics: () => `--- ${errorLog}\n${fileTail(errorLog, 4000)}\n--- ${serverLog}\n${fileTail(serverLog, 4000)}`,
      keepChars: 8000,
    });
    server = started;
    void started.exited().then((exit) => exits.push(exit));
  };

  try {
    await start();
  } catch (err) {
    removeServerDir(dir);
    throw err;
  }

  return {
    dir,
    httpPort: ports.http,
    tcpPort: ports.tcp,
    interserverPort: ports.interserver,
    httpUrl,
    pid: () => server?.pid,
    storeUrl: (database) => `clickhouse://${TEST_USER}@127.0.0.1:${ports.http}/${database}`,
    async sql(query) {
      const res = await fetch(`${httpUrl}/`, { method: "POST", body: query });
      const text = await res.text();
      if (!res.ok) throw new Error(`ClickHouse answered ${res.status}: ${text}`);
      return text;
    },
    stop: async (timeoutMs = 15_000) => void (await server?.stop(timeoutMs)),
    kill: async () => void (await server?.kill()),
    start,
    async destroy() {
      // The data is thrown away, so there is nothing for a graceful stop (seconds) to save.
      await server?.kill();
      removeServerDir(dir);
    },
    exits: () => [...exits],
    diagnostics(maxChars = 6000) {
      const running = server && server.exitStatus() === undefined ? `running as pid ${server.pid}` : "not running";
      const ended = exits.map((e) => `pid ${e.pid} exited: code ${e.code}, signal ${e.signal}${e.expected ? "" : " (not stopped by the helper)"}`);
      return [
        `clickhouse-server http ${ports.http} tcp ${ports.tcp} interserver ${ports.interserver}: ${running}`,
        ...ended,
        `--- stdout/stderr\n${server?.output(maxChars) ?? ""}`,
        `--- ${errorLog}\n${fileTail(errorLog, maxChars)}`,
        `--- ${serverLog}\n${fileTail(serverLog, maxChars)}`,
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
