// TLS end to end with a throwaway CA and real processes: the agent (`wrap`) verifies the
// collector's certificate over gRPC and the CLI over HTTPS; a wrong CA, a plaintext client and
// (with mutual TLS) an agent without a client certificate are refused with a message that says
// why, while `wrap` still runs the job, exits with its code and spools the events. A collector
// refuses to listen beyond loopback without TLS and tokens unless told --insecure, and refuses
// TLS files that do not fit together, before anything listens.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseSpoolFileName } from "../../agent/spool/spool-file-name.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { commitRepo } from "../helpers/git.js";
import { runCli } from "../helpers/run-cli.js";
import { createTestCertificates, type TestCertificates } from "../helpers/test-ca.js";

const dir = mkdtempSync(join(tmpdir(), "snaptrail-tls-"));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text, { mode: 0o600 });
  return p;
};
let certs: TestCertificates;
const f = {} as Record<"ca" | "otherCa" | "serverCert" | "serverKey" | "clientCert" | "clientKey" | "otherClientCert" | "otherClientKey" | "notPem", string>;
let repo: string;

before(async () => {
  certs = await createTestCertificates();
  f.ca = file("ca.crt", certs.caPem);
  f.otherCa = file("other-ca.crt", certs.otherCaPem);
  f.serverCert = file("server.crt", certs.serverCertPem);
  f.serverKey = file("server.key", certs.serverKeyPem);
  f.clientCert = file("client.crt", certs.clientCertPem);
  f.clientKey = file("client.key", certs.clientKeyPem);
  f.otherClientCert = file("other-client.crt", certs.otherClientCertPem);
  f.otherClientKey = file("other-client.key", certs.otherClientKeyPem);
  f.notPem = file("garbage.crt", "this is not a certificate\n");
  repo = join(dir, "repo");
  commitRepo(repo, { "job.sh": "echo job ran\nexit ${JOB_EXIT:-0}\n" }, "job");
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** `wrap` against `collector`, with its own spool; the job exits with `exit`. */
async function wrap(collector: CollectorProcess, name: string, exit: number, env: NodeJS.ProcessEnv) {
  const spool = join(dir, `spool-${name}`);
  const r = await runCli(["wrap", "--", "sh", "job.sh"], {
    cwd: repo,
    env: {
      ...process.env,
      SNAPTRAIL_COLLECTOR: `grpcs://${collector.grpcAddress}`,
      SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
      SNAPTRAIL_SPOOL_DIR: spool,
      SNAPTRAIL_RUN_ID: `local:tls/${name}-${process.pid}`,
      SNAPTRAIL_FINISH_TIMEOUT_MS: "5000",
      SNAPTRAIL_CONNECT_TIMEOUT_MS: "3000",
      SNAPTRAIL_RETRY_FOR_MS: "500",
      JOB_EXIT: String(exit),
      ...env,
    },
  });
  // Events waiting in the spool, counted from its file names (events/<time>-<pid>-<random>-<N>e-<BYTES>b.spool).
  const events = join(spool, "events");
  const spooled = (existsSync(events) ? readdirSync(events) : []).reduce((n, name) => n + (parseSpoolFileName(name)?.events ?? 0), 0);
  return { ...r, runId: `local:tls/${name}-${process.pid}`, spooled };
}

/** `snaptrail show RUN --json` over the collector's HTTPS API, trusting `ca`. */
function show(collector: CollectorProcess, runId: string, env: NodeJS.ProcessEnv = { SNAPTRAIL_TLS_CA: f.ca }) {
  return runCli(["show", runId, "--json", "--collector-http", collector.httpUrl], { env: { ...process.env, ...env } });
}

void describe("a collector with --tls-cert and --tls-key", () => {
  let collector: CollectorProcess;
  before(async () => {
    collector = await startCollectorProcess({ args: ["--tls-cert", f.serverCert, "--tls-key", f.serverKey] });
  });
  after(async () => {
    await collector?.stop();
  });

  void it("serves HTTPS, and says so in its ready line and log", () => {
    assert.match(collector.httpUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(collector.stderr(), /collector listening: gRPC \(TLS\) 127\.0\.0\.1:\d+/);
  });

  void it("records a run from wrap over grpcs:// verified against the CA, and the CLI reads it over HTTPS", async () => {
    const r = await wrap(collector, "verified", 3, { SNAPTRAIL_TLS_CA: f.ca });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout.toString(), /job ran/);
    assert.doesNotMatch(r.stderr, /warning/, "nothing went wrong on snaptrail's side");
    const shown = await show(collector, r.runId);
    assert.equal(shown.code, 0, shown.stderr);
    const run = JSON.parse(shown.stdout.toString()) as { runId: string; exitCode: number };
    assert.equal(run.runId, r.runId);
    assert.equal(run.exitCode, 3);
    // --tls-ca on the command line does what SNAPTRAIL_TLS_CA does.
    const listed = await runCli(["runs", "--json", "--collector-http", collector.httpUrl, "--tls-ca", f.ca], { env: { ...process.env, SNAPTRAIL_TLS_CA: "" } });
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok((JSON.parse(listed.stdout.toString()) as { runs: { runId: string }[] }).runs.some((x) => x.runId === r.runId));
  });

  void it("serves wrap --cache over TLS: the second run is a hit found and downloaded over HTTPS", async () => {
    const cacheRepo = join(dir, "cache-repo");
    commitRepo(cacheRepo, { "job.sh": "echo ran >> ../cache-side.log\necho model > out.bin\n" }, "job");
    for (const n of [1, 2]) {
      const r = await runCli(["wrap", "--cache", "--output", "out.bin", "--tls-ca", f.ca, "--", "sh", "job.sh"], {
        cwd: cacheRepo,
        env: {
          ...process.env,
          SNAPTRAIL_COLLECTOR: `grpcs://${collector.grpcAddress}`,
          SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
          SNAPTRAIL_SPOOL_DIR: join(dir, "spool-cache"),
          SNAPTRAIL_RUN_ID: `local:tls/cache-${process.pid}-${n}`,
          SNAPTRAIL_FINISH_TIMEOUT_MS: "10000",
        },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /warning/, r.stderr);
    }
    assert.equal(readFileSync(join(dir, "cache-side.log"), "utf8"), "ran\n", "the second run was a cache hit");
    assert.equal(readFileSync(join(cacheRepo, "out.bin"), "utf8"), "model\n");
  });

  void it("refuses the collector's certificate under another CA, naming the cause; wrap still runs the job and spools", async () => {
    const listing = await runCli(["runs", "--collector-http", collector.httpUrl], { env: { ...process.env, SNAPTRAIL_TLS_CA: f.otherCa } });
    assert.notEqual(listing.code, 0);
    assert.match(listing.stderr, /presented a certificate this client does not trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): give the CA that signed it with --tls-ca or SNAPTRAIL_TLS_CA/);

    // Node's built-in roots do not hold the test CA either.
    const noCa = await runCli(["runs", "--collector-http", collector.httpUrl], { env: { ...process.env, SNAPTRAIL_TLS_CA: "" } });
    assert.notEqual(noCa.code, 0);
    assert.match(noCa.stderr, /does not trust/);

    const r = await wrap(collector, "wrong-ca", 7, { SNAPTRAIL_TLS_CA: f.otherCa });
    assert.equal(r.code, 7, "the job's own exit code");
    assert.match(r.stdout.toString(), /job ran/);
    assert.match(r.stderr, /certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
    assert.ok(r.spooled > 0, `events wait in the spool: ${r.stderr}`);
    assert.equal((await show(collector, r.runId)).code, 2 /* not found */, "nothing reached the collector");
  });

  void it("fails a plaintext client cleanly: the CLI over http:// and wrap over plaintext gRPC", async () => {
    const plainUrl = collector.httpUrl.replace("https://", "http://");
    const listing = await runCli(["runs", "--collector-http", plainUrl], { env: { ...process.env, SNAPTRAIL_TLS_CA: "" } });
    assert.notEqual(listing.code, 0);
    assert.match(listing.stderr, /cannot reach the collector at http:\/\/127\.0\.0\.1:\d+/);
    assert.doesNotMatch(listing.stderr, /at .*\.js:\d+/, "no stack trace");

    const r = await wrap(collector, "plaintext", 5, { SNAPTRAIL_COLLECTOR: collector.grpcAddress, SNAPTRAIL_COLLECTOR_HTTP: plainUrl });
    assert.equal(r.code, 5);
    assert.match(r.stderr, /cannot reach the collector at 127\.0\.0\.1:\d+/);
    assert.ok(r.spooled > 0, r.stderr);
  });

  void it("refuses TLS files with a plaintext address instead of sending the token in clear", async () => {
    const r = await runCli(["runs", "--collector-http", "http://127.0.0.1:9"], { env: { ...process.env, SNAPTRAIL_TLS_CA: f.ca } });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /TLS files are set .* but the collector's HTTP address .* http:\/\/127\.0\.0\.1:9 is plaintext: write https:\/\//);
  });
});

void describe("a collector with --tls-client-ca (mutual TLS for agents)", () => {
  let collector: CollectorProcess;
  before(async () => {
    collector = await startCollectorProcess({ args: ["--tls-cert", f.serverCert, "--tls-key", f.serverKey, "--tls-client-ca", f.ca] });
  });
  after(async () => {
    await collector?.stop();
  });

  void it("takes events from an agent with a client certificate the CA signed", async () => {
    const r = await wrap(collector, "mtls-ok", 0, { SNAPTRAIL_TLS_CA: f.ca, SNAPTRAIL_TLS_CERT: f.clientCert, SNAPTRAIL_TLS_KEY: f.clientKey });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    assert.equal((await show(collector, r.runId)).code, 0, "recorded");
  });

  void it("refuses an agent without a client certificate, or with one another CA signed; the job still runs", async () => {
    const none = await wrap(collector, "mtls-none", 2, { SNAPTRAIL_TLS_CA: f.ca });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /cannot reach the collector at grpcs:\/\/127\.0\.0\.1:\d+: the collector refused this client's certificate, or wants one \(SNAPTRAIL_TLS_CERT, SNAPTRAIL_TLS_KEY\)/);
    assert.ok(none.spooled > 0, none.stderr);
    const other = await wrap(collector, "mtls-other", 0, { SNAPTRAIL_TLS_CA: f.ca, SNAPTRAIL_TLS_CERT: f.otherClientCert, SNAPTRAIL_TLS_KEY: f.otherClientKey });
    assert.equal(other.code, 0);
    assert.match(other.stderr, /certificate/);
    assert.ok(other.spooled > 0, other.stderr);
    for (const runId of [none.runId, other.runId]) assert.equal((await show(collector, runId)).code, 2, `${runId} was not recorded`);
  });

  void it("names the agent's bad key pair before connecting, and runs the job", async () => {
    const r = await wrap(collector, "mtls-mismatch", 0, { SNAPTRAIL_TLS_CA: f.ca, SNAPTRAIL_TLS_CERT: f.clientCert, SNAPTRAIL_TLS_KEY: f.otherClientKey });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /the certificate .*client\.crt \(tlsCert \(--tls-cert, env SNAPTRAIL_TLS_CERT\)\) does not match the private key .*other-client\.key/);
    assert.match(r.stderr, /running the command without recording it/);
  });
});

/** Starts `snaptrail collector ARGS`, which must exit (refuse) rather than print its ready line. */
async function refusal(args: string[], env: NodeJS.ProcessEnv = {}) {
  const db = join(dir, `refused-${Math.random().toString(36).slice(2)}.db`);
  const r = await runCli(["collector", "--db", db, ...args], { env: { ...process.env, ...env } });
  assert.equal(r.stdout.toString(), "", "no ready line: nothing listened");
  assert.notEqual(r.code, 0);
  return r.stderr;
}

void describe("exposure beyond loopback", () => {
  void it("is refused without TLS and tokens, naming the listener and how to enable them", async () => {
    const plain = await refusal(["--listen", "0.0.0.0:0", "--http", "127.0.0.1:0"]);
    assert.match(plain, /refusing to listen on 0\.0\.0\.0:0 \(listen, from command line\) beyond loopback without TLS \(--tls-cert FILE --tls-key FILE.*\) and auth \(--auth tokens/);
    assert.match(plain, /--insecure/);
    const tlsOnly = await refusal(["--listen", "127.0.0.1:0", "--http", "[::]:0", "--tls-cert", f.serverCert, "--tls-key", f.serverKey]);
    assert.match(tlsOnly, /refusing to listen on \[::\]:0 \(http, from command line\) beyond loopback without auth \(--auth tokens/);
    assert.doesNotMatch(tlsOnly, /without TLS/);
    const fromEnv = await refusal([], { SNAPTRAIL_HTTP: "0.0.0.0:0", SNAPTRAIL_AUTH: "tokens" });
    assert.match(fromEnv, /0\.0\.0\.0:0 \(http, from env var SNAPTRAIL_HTTP\) beyond loopback without TLS/);
  });

  void it("starts with --insecure and warns at every start; starts quietly with TLS and tokens", async () => {
    for (let start = 0; start < 2; start++) {
      const c = await startCollectorProcess({ listen: "0.0.0.0:0", args: ["--insecure"] });
      try {
        assert.match(c.stderr(), /"level":40.*--insecure: listening on 0\.0\.0\.0:0 beyond loopback without TLS and auth tokens/);
      } finally {
        await c.stop();
      }
    }
    const secured = await startCollectorProcess({ listen: "0.0.0.0:0", http: "0.0.0.0:0", args: ["--tls-cert", f.serverCert, "--tls-key", f.serverKey, "--auth", "tokens"] });
    try {
      assert.doesNotMatch(secured.stderr(), /--insecure/);
      assert.match(secured.stderr(), /holds no active token/, "auth with no token to sign in with is said at start");
      const health = await runCli(["runs", "--collector-http", secured.httpUrl.replace("0.0.0.0", "127.0.0.1")], { env: { ...process.env, SNAPTRAIL_TLS_CA: f.ca } });
      assert.match(health.stderr, /no token/, "TLS verified, then the token is asked for");
    } finally {
      await secured.stop();
    }
  });
});

void describe("TLS files that do not fit", () => {
  const tls = (cert: string, key: string) => ["--tls-cert", cert, "--tls-key", key];
  void it("refuses a certificate that is not its key's, naming both settings", async () => {
    assert.match(await refusal(tls(f.serverCert, f.clientKey)), /the certificate .*server\.crt \(tlsCert \(--tls-cert, env SNAPTRAIL_COLLECTOR_TLS_CERT\)\) does not match the private key .*client\.key \(tlsKey/);
  });

  void it("refuses a missing or unreadable file, or one holding no certificate, naming the setting", async () => {
    assert.match(await refusal(tls(f.serverCert, join(dir, "nope.key"))), /cannot read the private key .*nope\.key \(tlsKey \(--tls-key, env SNAPTRAIL_COLLECTOR_TLS_KEY\)\): ENOENT/);
    assert.match(await refusal([...tls(f.serverCert, f.serverKey), "--tls-client-ca", f.notPem]), /the client CA file .*garbage\.crt \(tlsClientCa .*\) holds no PEM certificate/);
    assert.match(await refusal(tls(f.serverKey, f.serverKey)), /the certificate .*server\.key \(tlsCert .*\) holds no PEM certificate/);
    if (process.getuid?.() !== 0) {
      const locked = file("locked.crt", certs.caPem);
      chmodSync(locked, 0o000);
      assert.match(await refusal([...tls(f.serverCert, f.serverKey), "--tls-client-ca", locked]), /cannot read the client CA file .*locked\.crt \(tlsClientCa.*EACCES/);
    }
  });

  void it("refuses half a setting: a certificate without its key, a client CA without TLS", async () => {
    assert.match(await refusal(["--tls-cert", f.serverCert]), /invalid option tlsCert \(from command line\): needs tlsKey too/);
    assert.match(await refusal(["--tls-client-ca", f.ca]), /invalid option tlsClientCa \(from command line\): mutual TLS needs TLS first/);
  });
});
