// NATS's own users and permissions, with the server configured as deploy/nats/nats-server.conf
// says: agents publish events, upload archives and ask for digests with their credentials, and
// events flow to the collector; agent credentials cannot answer for the collector, read the
// events stream or reach the collectors' blob bucket; wrong credentials are refused.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { RunDetail } from "../../core/api-types.js";
import { loadNats } from "../../core/load-nats.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { commitRepo } from "../helpers/git.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";
import { runCli } from "../helpers/run-cli.js";

const CONFIG = fileURLToPath(new URL("../../../deploy/nats/nats-server.conf", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "snaptrail-natsperm-"));
const passwords = { collector: "collector-secret-1", agent: "agent-secret-2" };
const passwordFile = (who: string, text: string) => {
  const file = join(dir, `${who}.password`);
  writeFileSync(file, `${text}\n`, { mode: 0o600 });
  return file;
};
let nats: NatsServer;
let collector: CollectorProcess;

before(async () => {
  nats = await startNatsServer({
    config: CONFIG,
    env: { ...process.env, SNAPTRAIL_NATS_COLLECTOR_PASSWORD: passwords.collector, SNAPTRAIL_NATS_AGENT_PASSWORD: passwords.agent },
  });
  collector = await startCollectorProcess({
    blobDir: join(dir, "blobs"),
    args: ["--nats", nats.url, "--nats-user", "snaptrail-collector", "--nats-password-file", passwordFile("collector", passwords.collector)],
  });
});
after(async () => {
  await collector?.stop();
  await nats?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** A connection as the agent user (or with a wrong password). */
async function connectAs(user: string, pass: string) {
  const { transport } = await loadNats();
  return transport.connect({ servers: nats.url, user, pass, timeout: 5000, maxReconnectAttempts: 0 });
}

void describe("NATS with deploy/nats/nats-server.conf", () => {
  void it("carries an agent's run and code archive to the collector with agent credentials", async () => {
    const repo = join(dir, "repo");
    commitRepo(repo, { "job.sh": "echo trained\n" }, "job");
    const runId = `local:nats-perm/${process.pid}`;
    const r = await runCli(["wrap", "--transport", "nats", "--", "sh", "job.sh"], {
      cwd: repo,
      env: {
        ...process.env,
        SNAPTRAIL_RUN_ID: runId,
        SNAPTRAIL_NATS_URL: nats.url,
        SNAPTRAIL_NATS_USER: "snaptrail-agent",
        SNAPTRAIL_NATS_PASSWORD_FILE: passwordFile("agent", passwords.agent),
        SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
        SNAPTRAIL_FINISH_TIMEOUT_MS: "10000",
      },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /spool|Permissions Violation|Authorization/i, "every event went out at once");
    let run: RunDetail | undefined;
    for (let i = 0; i < 100 && (run?.status !== "succeeded" || !run.code); i++) {
      const res = await fetch(`${collector.httpUrl}/api/v1/runs/${encodeURIComponent(runId)}`);
      if (res.status === 200) run = (await res.json()) as RunDetail;
      await new Promise((res2) => setTimeout(res2, 100));
    }
    assert.equal(run?.status, "succeeded");
    const archive = run?.code?.archiveDigest ?? "";
    assert.match(archive, /^sha256:/);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await fetch(`${collector.httpUrl}/api/v1/blobs/${encodeURIComponent(archive)}`)).status;
      if (status !== 200) await new Promise((res2) => setTimeout(res2, 100));
    }
    assert.equal(status, 200, "the archive the agent uploaded reached the collector's blob store");
  });

  void it("refuses agent credentials what only a collector may do", async () => {
    const nc = await connectAs("snaptrail-agent", passwords.agent);
    const { jetstream } = await loadNats();
    try {
      // Answering digest queries for the collector: the server refuses the subscription.
      const sub = nc.subscribe("snaptrail.rpc.has-digests");
      const closed = await Promise.race([sub.closed.then((e) => e ?? new Error("closed without error")), new Promise((r) => setTimeout(() => r(undefined), 3000))]);
      assert.match(String(closed), /Permissions Violation/i);
      // Reading the events stream: creating a consumer is a JetStream API call it may not make.
      const jsm = await jetstream.jetstreamManager(nc, { timeout: 3000, checkAPI: false });
      await assert.rejects(jsm.consumers.add("SNAPTRAIL_EVENTS", { durable_name: "thief", ack_policy: jetstream.AckPolicy.Explicit }), /Permissions Violation/i);
      await assert.rejects(jsm.streams.info("SNAPTRAIL_EVENTS"), /Permissions Violation/i);
      // The collectors' own (verified) blob bucket.
      await assert.rejects(jsm.streams.info("OBJ_snaptrail-collector-blobs"), /Permissions Violation/i);
    } finally {
      await nc.close();
    }
  });

  void it("refuses wrong credentials and no credentials", async () => {
    await assert.rejects(connectAs("snaptrail-agent", "guess"), /Authorization Violation|AUTHORIZATION/i);
    const { transport } = await loadNats();
    await assert.rejects(transport.connect({ servers: nats.url, timeout: 5000, maxReconnectAttempts: 0 }), /Authorization Violation|AUTHORIZATION/i);
  });

  void it("names the missing password file of a NATS user", async () => {
    const r = await runCli(["wrap", "--transport", "nats", "--", "true"], {
      env: { ...process.env, SNAPTRAIL_NATS_URL: nats.url, SNAPTRAIL_NATS_USER: "snaptrail-agent", SNAPTRAIL_NATS_PASSWORD_FILE: join(dir, "missing"), SNAPTRAIL_SPOOL_DIR: join(dir, "spool2") },
    });
    assert.equal(r.code, 0, "the job still runs");
    assert.match(r.stderr, /cannot read the NATS password file .*missing/);
  });
});
