import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { exposedListeners, isLoopbackHost, parseCollectorOptions, resolveCollectorOptions, splitHostPort } from "../../collector/collector-options.js";
import { startCollector } from "../../collector/collector.js";
import { startedEvent } from "../helpers/collector-fixtures.js";

void describe("collector options", () => {
  void it("has every default in one place", () => {
    const o = resolveCollectorOptions({});
    assert.equal(o.dbPath, "./snaptrail.db");
    assert.equal(o.blobDir, "./snaptrail.db.blobs");
    assert.equal(o.listen, "127.0.0.1:50051");
    assert.equal(o.http, "127.0.0.1:8077");
    assert.equal(o.maxMessageBytes, 16 * 1024 * 1024);
    assert.equal(o.maxArchiveBytes, 512 * 1024 * 1024);
    assert.equal(o.logLevel, "info");
  });

  void it("bounds gRPC streams and idle calls by default, each limit settable and checked", () => {
    const o = resolveCollectorOptions({});
    assert.deepEqual(
      [o.grpcMaxStreamsPerConnection, o.grpcMaxOpenStreams, o.grpcStreamIdleTimeoutMs, o.grpcMaxConnectionIdleMs],
      [100, 4096, 60_000, 300_000],
    );
    const set = resolveCollectorOptions({
      env: { SNAPTRAIL_COLLECTOR_GRPC_MAX_OPEN_STREAMS: "10", SNAPTRAIL_COLLECTOR_GRPC_STREAM_IDLE_TIMEOUT_MS: "5000" },
      flags: { grpcMaxOpenStreams: "20" },
    });
    assert.equal(set.grpcMaxOpenStreams, 20);
    assert.equal(set.grpcStreamIdleTimeoutMs, 5000);
    assert.throws(
      () => resolveCollectorOptions({ env: { SNAPTRAIL_COLLECTOR_GRPC_MAX_STREAMS_PER_CONNECTION: "0" } }),
      /invalid option grpcMaxStreamsPerConnection \(from env var SNAPTRAIL_COLLECTOR_GRPC_MAX_STREAMS_PER_CONNECTION\)/,
    );
  });

  void it("tells loopback from everything else: only 127.0.0.0/8, ::1 and localhost are loopback", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "[::1]", "localhost", "LOCALHOST"]) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ["0.0.0.0", "[::]", "10.0.0.5", "collector.internal", "128.0.0.1", "127.0.0.1.example"]) assert.equal(isLoopbackHost(host), false, host);
    assert.deepEqual(exposedListeners({ listen: "0.0.0.0:1", http: "127.0.0.1:2" }), ["listen"]);
  });

  void it("refuses a listener beyond loopback without TLS and tokens, before anything binds, unless insecure", () => {
    const tls = { tlsCert: "/nonexistent/c.pem", tlsKey: "/nonexistent/k.pem" };
    assert.throws(() => parseCollectorOptions({ listen: "0.0.0.0:0" }), /refusing to listen on 0\.0\.0\.0:0 \(listen, from options\) beyond loopback without TLS .* and auth/);
    assert.throws(() => parseCollectorOptions({ http: "10.0.0.5:8077", auth: "tokens" }), /10\.0\.0\.5:8077 \(http, from options\) beyond loopback without TLS \(/);
    assert.throws(() => parseCollectorOptions({ http: "10.0.0.5:8077", ...tls }), /without auth \(--auth tokens/);
    // The files are read at start, not here: these options are valid as options.
    assert.equal(parseCollectorOptions({ listen: "0.0.0.0:0", http: "[::]:0", auth: "tokens", ...tls }).auth, "tokens");
    assert.equal(parseCollectorOptions({ listen: "0.0.0.0:0", insecure: true }).insecure, true);
    assert.equal(resolveCollectorOptions({ env: { SNAPTRAIL_LISTEN: "0.0.0.0:0", SNAPTRAIL_COLLECTOR_INSECURE: "1" } }).insecure, true);
    assert.throws(() => resolveCollectorOptions({ env: { SNAPTRAIL_COLLECTOR_INSECURE: "maybe" } }), /invalid option insecure \(from env var SNAPTRAIL_COLLECTOR_INSECURE\)/);
    assert.equal(resolveCollectorOptions({}).insecure, false);
  });

  void it("takes TLS settings whole: a certificate with its key, a client CA only with both", () => {
    assert.throws(() => parseCollectorOptions({ tlsKey: "k.pem" }), /invalid option tlsKey \(from options\): needs tlsCert too/);
    assert.throws(() => resolveCollectorOptions({ env: { SNAPTRAIL_COLLECTOR_TLS_CERT: "c.pem" } }), /invalid option tlsCert \(from env var SNAPTRAIL_COLLECTOR_TLS_CERT\): needs tlsKey too/);
    assert.throws(() => parseCollectorOptions({ tlsClientCa: "ca.pem" }), /tlsClientCa \(from options\): mutual TLS needs TLS first/);
  });

  void it("starts half-secured never: a bad TLS file stops startCollector before it opens the store or a port", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-tls-opts-"));
    try {
      await assert.rejects(
        startCollector({ dbPath: join(dir, "s.db"), listen: "127.0.0.1:0", http: "127.0.0.1:0", tlsCert: join(dir, "missing.crt"), tlsKey: join(dir, "missing.key") }),
        /cannot read the certificate .*missing\.crt \(tlsCert \(--tls-cert, env SNAPTRAIL_COLLECTOR_TLS_CERT\)\): ENOENT/,
      );
      assert.equal(existsSync(join(dir, "s.db")), false, "the store was not opened");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it("takes flag over env var over default", () => {
    const env = { SNAPTRAIL_DB: "/env/db.sqlite", SNAPTRAIL_LISTEN: "127.0.0.1:6000", SNAPTRAIL_COLLECTOR_MAX_MESSAGE_BYTES: "1024" };
    const fromEnv = resolveCollectorOptions({ env });
    assert.equal(fromEnv.dbPath, "/env/db.sqlite");
    assert.equal(fromEnv.blobDir, "/env/db.sqlite.blobs");
    assert.equal(fromEnv.listen, "127.0.0.1:6000");
    assert.equal(fromEnv.maxMessageBytes, 1024);
    const fromFlag = resolveCollectorOptions({ env, flags: { dbPath: "sqlite:/flag/x.db", listen: undefined, http: "[::1]:0" } });
    assert.equal(fromFlag.dbPath, "sqlite:/flag/x.db");
    assert.equal(fromFlag.blobDir, "/flag/x.db.blobs");
    assert.equal(fromFlag.listen, "127.0.0.1:6000");
    assert.equal(fromFlag.http, "[::1]:0");
  });

  void it("takes the web UI's links and resubmit settings, checked, with the audit log beside the blob folder", () => {
    const o = resolveCollectorOptions({
      flags: { linkAirflow: "http://airflow.internal:8080/", resubmitSlurmVia: "ssh://ops@login:2222" },
      env: { SNAPTRAIL_COLLECTOR_LINK_KFP: "https://kfp.internal/pipeline", SNAPTRAIL_COLLECTOR_RESUBMIT_SSH_IDENTITY: "/etc/snaptrail/id_ed25519" },
    });
    assert.equal(o.linkAirflow, "http://airflow.internal:8080");
    assert.equal(o.linkKfp, "https://kfp.internal/pipeline");
    assert.equal(o.resubmitSlurmVia, "ssh://ops@login:2222");
    assert.equal(o.resubmitSshIdentity, "/etc/snaptrail/id_ed25519");
    assert.equal(o.resubmitSlurmLocal, false);
    assert.equal(resolveCollectorOptions({}).resubmitAuditLog, "snaptrail-resubmits.jsonl");
    assert.equal(resolveCollectorOptions({ flags: { blobDir: "/var/lib/snaptrail/blobs" } }).resubmitAuditLog, "/var/lib/snaptrail/snaptrail-resubmits.jsonl");
    assert.equal(resolveCollectorOptions({ env: { SNAPTRAIL_COLLECTOR_RESUBMIT_SLURM_LOCAL: "true" } }).resubmitSlurmLocal, true);
    assert.throws(() => resolveCollectorOptions({ flags: { linkAirflow: "javascript:alert(1)" } }), /invalid option linkAirflow \(from command line\): expected http\(s\)/);
    assert.throws(() => resolveCollectorOptions({ flags: { resubmitSlurmVia: "login-node" } }), /invalid option resubmitSlurmVia .*ssh:\/\/USER@HOST/);
    assert.throws(
      () => resolveCollectorOptions({ flags: { resubmitSlurmVia: "ssh://ops@login", resubmitSlurmLocal: true } }),
      /resubmitSlurmVia and resubmitSlurmLocal exclude each other/,
    );
  });

  void it("names the bad key and where it came from", () => {
    assert.throws(() => resolveCollectorOptions({ env: { SNAPTRAIL_LISTEN: "nope" } }), {
      code: "BAD_CONFIG",
      message: /^invalid option listen \(from env var SNAPTRAIL_LISTEN\): expected HOST:PORT/,
    });
    assert.throws(() => resolveCollectorOptions({ flags: { maxArchiveBytes: "-5" } }), /invalid option maxArchiveBytes \(from command line\): must be positive/);
    assert.throws(() => resolveCollectorOptions({ flags: { http: "127.0.0.1:70000" } }), /invalid option http .*65535/);
    assert.throws(() => parseCollectorOptions({ logLevel: "loud" as "info" }), /invalid option logLevel \(from options\)/);
    assert.throws(() => parseCollectorOptions({ dbPath: ":memory:" }), /invalid option blobDir: required/);
    assert.deepEqual(splitHostPort("[::1]:8077"), { host: "[::1]", port: 8077 });
    assert.throws(() => splitHostPort("localhost", "listen"), /invalid option listen/);
  });
});

void describe("startCollector in process", () => {
  const dir = mkdtempSync(join(tmpdir(), "snaptrail-start-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  void it("binds free loopback ports when 0 is asked, serves, and closes (idempotently)", async () => {
    const collector = await startCollector({ dbPath: join(dir, "a.db"), listen: "127.0.0.1:0", http: "127.0.0.1:0", logLevel: "silent" });
    assert.match(collector.grpcAddress, /^127\.0\.0\.1:[1-9]\d*$/);
    assert.match(collector.httpUrl, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    assert.equal(collector.options.blobDir, join(dir, "a.db.blobs"));
    const health = await fetch(`${collector.httpUrl}/healthz`);
    assert.deepEqual(await health.json(), { status: "ok", version: (await import("../../core/version.js")).SNAPTRAIL_VERSION });
    assert.deepEqual(await collector.store.append([startedEvent("in-process")]), ["STORED"]);
    await Promise.all([collector.close(), collector.close()]);
    await collector.close();
    await assert.rejects(fetch(`${collector.httpUrl}/healthz`));
  });

  void it("fails clearly when a port is taken, leaving nothing open", async () => {
    const first = await startCollector({ dbPath: join(dir, "b.db"), listen: "127.0.0.1:0", http: "127.0.0.1:0", logLevel: "silent" });
    try {
      await assert.rejects(
        startCollector({ dbPath: join(dir, "c.db"), listen: "127.0.0.1:0", http: first.httpUrl.slice("http://".length), logLevel: "silent" }),
        /cannot listen for HTTP on 127\.0\.0\.1:\d+/,
      );
      await assert.rejects(
        startCollector({ dbPath: join(dir, "d.db"), listen: first.grpcAddress, http: "127.0.0.1:0", logLevel: "silent" }),
        /cannot listen for gRPC/,
      );
    } finally {
      await first.close();
    }
  });

  void it("starts on a clickhouse store that is down, and acks nothing until it is up", async () => {
    const { freePort } = await import("../helpers/free-port.js");
    const nobody = await freePort();
    const collector = await startCollector({
      store: `clickhouse://default@127.0.0.1:${nobody}/snaptrail`,
      blobDir: join(dir, "blobs"),
      listen: "127.0.0.1:0",
      http: "127.0.0.1:0",
      logLevel: "silent",
    });
    try {
      await assert.rejects(collector.store.append([startedEvent("while-down")]), { code: "UNAVAILABLE", message: /ClickHouse is not reachable/ });
      await assert.rejects(collector.store.listRuns({}), { code: "UNAVAILABLE" });
    } finally {
      await collector.close();
    }
    await assert.rejects(
      startCollector({ store: "clickhouse://127.0.0.1:8123/snaptrail", logLevel: "silent" }),
      /invalid option blobDir: required when store is clickhouse:/,
    );
  });
});

void describe("store and db options", () => {
  void it("--store names the store; --db stays its SQLite shorthand; both at one level is an error", () => {
    assert.equal(resolveCollectorOptions({}).store, "./snaptrail.db");
    assert.equal(resolveCollectorOptions({ flags: { dbPath: "/x/a.db" } }).store, "/x/a.db");
    const ch = resolveCollectorOptions({ flags: { store: "clickhouse://u@h:8123/db", blobDir: "/b" } });
    assert.equal(ch.store, "clickhouse://u@h:8123/db");
    assert.equal(resolveCollectorOptions({ flags: { store: "sqlite:/y/b.db" } }).blobDir, "/y/b.db.blobs");
    assert.throws(() => resolveCollectorOptions({ flags: { store: "sqlite:/a.db", dbPath: "/b.db" } }), /give store or dbPath/);
    assert.throws(() => resolveCollectorOptions({ env: { SNAPTRAIL_STORE: "sqlite:/a.db", SNAPTRAIL_DB: "/b.db" } }), /give store or dbPath/);
    // A flag beats an env var, whichever of the two names it uses.
    assert.equal(resolveCollectorOptions({ env: { SNAPTRAIL_DB: "/env.db" }, flags: { store: "sqlite:/flag.db" } }).store, "sqlite:/flag.db");
    assert.equal(resolveCollectorOptions({ env: { SNAPTRAIL_STORE: "sqlite:/env.db" }, flags: { dbPath: "/flag.db" } }).store, "/flag.db");
    // Resolved options pass through startCollector's parse unchanged.
    assert.equal(parseCollectorOptions(ch).store, ch.store);
  });
});
