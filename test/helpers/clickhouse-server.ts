// Starts a real clickhouse-server (Debian's package) on free loopback ports, in a temp dir with a
// config of its own, waits for GET /ping, and stops it by PID. When the binary is missing this
// throws: in CI a missing server is a failure, never a skip (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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

function configXml(dir: string, ports: { http: number; tcp: number; interserver: number }, extra: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><size>100M</size><count>2</count></logger>
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
  writeFileSync(join(dir, "config.xml"), configXml(dir, ports, options.extraConfig ?? ""));
  const httpUrl = `http://127.0.0.1:${ports.http}`;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  let child: ChildProcess | undefined;
  let output = "";

  const logTail = (): string => {
    let log = "";
    try {
      log = readFileSync(join(dir, "log", "error.log"), "utf8");
    } catch {
      // no log yet
    }
    return `${output}\n${log}`.slice(-4000);
  };

  const start = async (): Promise<void> => {
    output = "";
    const proc = spawn(CLICKHOUSE_BINARY, [`--config-file=${join(dir, "config.xml")}`], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    proc.stdout?.setEncoding("utf8").on("data", (s: string) => (output = (output + s).slice(-8000)));
    proc.stderr?.setEncoding("utf8").on("data", (s: string) => (output = (output + s).slice(-8000)));
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`clickhouse-server exited before it was ready (code ${proc.exitCode}, signal ${proc.signalCode})\n${logTail()}`);
      }
      try {
        const res = await fetch(`${httpUrl}/ping`, { signal: AbortSignal.timeout(1000) });
        if (res.ok && (await res.text()).startsWith("Ok")) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        proc.kill("SIGKILL");
        throw new Error(`clickhouse-server did not answer ${httpUrl}/ping within ${startTimeoutMs} ms\n${logTail()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const stop = async (timeoutMs = 15_000): Promise<void> => {
    const proc = child;
    if (!proc || proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const done = exited(proc);
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
      rmSync(dir, { recursive: true, force: true });
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
  };
}
