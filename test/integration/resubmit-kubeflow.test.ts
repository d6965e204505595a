import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { CollectorHttpClient } from "../../core/collector-http-client.js";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { startFakeKfp, type FakeKfp } from "../helpers/fake-kfp-server.js";
import { freePort } from "../helpers/free-port.js";
import { commitRepo, git } from "../helpers/git.js";
import { kfpVenvPython } from "../helpers/kfp-venv.js";
import { runOrFail } from "../helpers/python-env.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";

// `snaptrail resubmit` of a Kubeflow Pipelines component run, end to end on this machine: runs are
// recorded by the real agent with the variables deploy/kubeflow's with_snaptrail gives a component,
// the pipelines are compiled with the real KFP SDK, and KFP's API is the stand-in
// test/python/fake_kfp_server.py, which checks every request and answer against the official
// kfp-server-api models. No real KFP runs here: that the real API server and launcher behave as
// these models and the SDK say is not tested.

const DEPLOY = fileURLToPath(new URL("../../../deploy/kubeflow", import.meta.url));
const DIGEST = `sha256:${"4f".repeat(32)}`;
const TOKEN = "kfp-test-token-0123456789";
const R1 = "4f1c2a9e-7d3b-4a5e-9c1f-2b8d6e0a1c3d";
const R2 = "9d2e4c1a-0b7f-4e3d-8a6c-5f1e2d3c4b5a";
const R3 = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const GONE = "00000000-dead-4bee-8000-000000000000";

const COMPILE = `
import json, sys
sys.path.insert(0, ${JSON.stringify(DEPLOY)})
from kfp import compiler, dsl
import yaml
from snaptrail_kfp import with_snaptrail

@dsl.container_component
def train():
    return dsl.ContainerSpec(image="ghcr.io/acme/train:2024-05", command=["snaptrail", "wrap", "--", "sh", "job.sh"])

@dsl.pipeline(name="nightly-train")
def pinned(threshold: float = 0.9, snaptrail_pin: str = ""):
    with_snaptrail(train(), pipeline_name="nightly-train", pin=snaptrail_pin)

@dsl.pipeline(name="nightly-train")
def unpinned(threshold: float = 0.9):
    train()

out = {}
for name, p in (("pinned", pinned), ("unpinned", unpinned)):
    path = sys.argv[1] + "/" + name + ".yaml"
    compiler.Compiler().compile(p, path)
    out[name] = list(yaml.safe_load_all(open(path)))
print(json.dumps(out))
`;

function kfpRun(runId: string, versionId: string, parameters: Record<string, unknown>): object {
  return {
    run_id: runId,
    display_name: `nightly-train ${runId.slice(0, 8)}`,
    experiment_id: "e-0001",
    pipeline_version_reference: { pipeline_id: "p-nightly", pipeline_version_id: versionId },
    runtime_config: { parameters, pipeline_root: "minio://mlpipeline/v2/artifacts" },
    service_account: "pipeline-runner",
    state: "SUCCEEDED",
    storage_state: "AVAILABLE",
    created_at: "2026-11-26T02:00:00Z",
    finished_at: "2026-11-26T02:20:00Z",
  };
}

void describe("snaptrail resubmit: Kubeflow Pipelines runs back to KFP, pinned", { timeout: 10 * 60_000 }, () => {
  let dir: string;
  let repo: string;
  let collector: CollectorProcess;
  let client: CollectorHttpClient;
  let kfp: FakeKfp;
  let env: NodeJS.ProcessEnv;
  let pinnedSpec: Record<string, unknown>;

  /** Runs `sh job.sh` in the repo as a KFP component's container would, recorded by the real agent. */
  async function component(kfpRunId: string, over: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    const r = await runCli(["wrap", "--", "sh", "job.sh"], {
      cwd: repo,
      env: {
        ...env,
        KFP_RUN_ID: kfpRunId,
        KFP_RUN_NAME: `nightly-train ${kfpRunId.slice(0, 8)}`,
        ARGO_NODE_NAME: `nightly-train-${kfpRunId.slice(0, 5)}.root.train.executor(0)`,
        KFP_POD_NAME: `nightly-train-${kfpRunId.slice(0, 5)}-system-container-impl-1`,
        POD_NAME: `nightly-train-${kfpRunId.slice(0, 5)}-system-container-impl-1`,
        POD_NAMESPACE: "ml",
        KFP_PIPELINE_NAME: "nightly-train",
        KFP_TASK_NAME: "train",
        SNAPTRAIL_IMAGE: `ghcr.io/acme/train:2024-05@${DIGEST}`,
        ...over,
      },
    });
    assert.equal(r.code, 0, r.stderr);
    return r;
  }

  const resubmit = (args: string[], over: NodeJS.ProcessEnv = {}) => runCli(["resubmit", ...args], { env: { ...env, KFP_TOKEN: TOKEN, ...over } });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-kfp-resubmit-"));
    const python = await kfpVenvPython();
    const compiled = JSON.parse(await runOrFail(python, ["-c", COMPILE, dir])) as Record<string, Record<string, unknown>[]>;
    const [pinnedPipeline, pinnedPlatform] = compiled.pinned ?? [];
    // With Kubernetes settings (kfp-kubernetes), KFP keeps the pipeline and platform specs together.
    pinnedSpec = { pipeline_spec: pinnedPipeline, platform_spec: pinnedPlatform };
    repo = join(dir, "repo");
    commitRepo(repo, { "job.sh": 'echo "code=$(cat version.txt)"\n', "version.txt": "v1\n" }, "v1");
    collector = await startCollectorProcess({ db: join(dir, "snaptrail.db") });
    client = new CollectorHttpClient(collector.httpUrl);
    env = {
      ...process.env,
      SNAPTRAIL_COLLECTOR: collector.grpcAddress,
      SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl,
      SNAPTRAIL_SPOOL_DIR: join(dir, "spool"),
      SNAPTRAIL_CACHE_DIR: join(dir, "cache"),
    };
    delete env.KFP_TOKEN;
    delete env.KUBERNETES_SERVICE_HOST;
    kfp = await startFakeKfp({
      token: TOKEN,
      runs: [kfpRun(R1, "v-pinned", { threshold: 0.8, snaptrail_pin: "" }), kfpRun(R2, "v-deleted", { threshold: 0.8 }), kfpRun(R3, "v-unpinned", { threshold: 0.8 })],
      versions: [
        { pipeline_id: "p-nightly", pipeline_version_id: "v-pinned", display_name: "v-pinned", created_at: "2026-11-01T00:00:00Z", pipeline_spec: pinnedSpec },
        { pipeline_id: "p-nightly", pipeline_version_id: "v-unpinned", display_name: "v-unpinned", created_at: "2026-10-01T00:00:00Z", pipeline_spec: compiled.unpinned?.[0] ?? {} },
      ],
    });
    for (const id of [R1, R2, R3, GONE]) await component(id);
    // KFP retried the component: Argo's node name says attempt 1.
    const retry = await component(R1, { ARGO_NODE_NAME: `nightly-train-${R1.slice(0, 5)}.root.train.executor(1)` });
    assert.equal(retry.stdout.toString(), "code=v1\n");
  });

  after(async () => {
    await kfp?.stop();
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void it("records each KFP attempt as its own run, with the pod's image digest", async () => {
    const first = await client.getRun(`kfp:${R1}/train`);
    const retry = await client.getRun(`kfp:${R1}/train+1`);
    assert.equal(first.orchestrator, "KUBEFLOW");
    assert.equal(first.pipelineRun, R1);
    assert.equal(retry.attempt, 1);
    assert.equal(first.environment?.image?.digest, DIGEST);
  });

  void it("creates a KFP run of the same pipeline version with the same parameters, the component pinned, and the pinned component runs the old code", async () => {
    const r = await resubmit([`kfp:${R1}/train`, "--kfp", kfp.url]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout.toString();
    const newId = /created KFP run ([0-9a-f-]{36})/.exec(out)?.[1] ?? "";
    assert.notEqual(newId, "", out);
    assert.match(out, new RegExp(`expected run: kfp:${newId}/train \\(rollback of kfp:${R1}/train\\)`));
    assert.ok(!out.includes(TOKEN) && !r.stderr.includes(TOKEN), "the token is never printed");

    const requests = await kfp.requests();
    const post = requests.filter((q) => q.method === "POST");
    assert.equal(post.length, 1);
    assert.deepEqual(
      requests.slice(-3).map((q) => `${q.method} ${q.path}`),
      [`GET /apis/v2beta1/runs/${R1}`, "GET /apis/v2beta1/pipelines/p-nightly/versions/v-pinned", "POST /apis/v2beta1/runs"],
    );
    assert.equal(post[0]?.authorization, `Bearer ${TOKEN}`);
    const body = post[0]?.body as { display_name: string; experiment_id: string; pipeline_version_reference: unknown; runtime_config: { parameters: Record<string, unknown>; pipeline_root: string }; service_account: string };
    assert.deepEqual(body.pipeline_version_reference, { pipeline_id: "p-nightly", pipeline_version_id: "v-pinned" });
    assert.deepEqual(body.runtime_config.parameters, { threshold: 0.8, snaptrail_pin: JSON.stringify({ train: `kfp:${R1}/train` }) });
    assert.equal(body.runtime_config.pipeline_root, "minio://mlpipeline/v2/artifacts");
    assert.equal(body.experiment_id, "e-0001");
    assert.equal(body.service_account, "pipeline-runner");
    assert.equal(body.display_name, `snaptrail rollback of kfp:${R1}/train`);

    // KFP now runs the pipeline: the code moved on, and the component gets the pin from its input.
    writeFileSync(join(repo, "version.txt"), "v2\n");
    git(repo, "commit", "-qam", "v2");
    const pinned = await component(newId, { SNAPTRAIL_PIN: String(body.runtime_config.parameters.snaptrail_pin), SNAPTRAIL_RESTORE_ENV: "none" });
    assert.equal(pinned.stdout.toString(), "code=v1\n", "the pinned component ran the recorded code");
    const rolledBack = await client.getRun(`kfp:${newId}/train`);
    assert.equal(rolledBack.rollbackOf, `kfp:${R1}/train`);
    assert.equal(rolledBack.codeDigest, (await client.getRun(`kfp:${R1}/train`)).codeDigest);
  });

  void it("prints the exact requests on a dry run and creates nothing", async () => {
    const before = (await kfp.requests()).length;
    const r = await resubmit([`kfp:${R1}/train`, "--kfp", kfp.url, "--dry-run"]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout.toString();
    assert.match(out, /dry run: nothing submitted to KFP/);
    assert.match(out, /POST http:\/\/127\.0\.0\.1:\d+\/apis\/v2beta1\/runs 'Authorization: Bearer <token>' /);
    assert.match(out, /"snaptrail_pin":"\{\\"train\\":\\"kfp:/);
    assert.ok(!out.includes(TOKEN));
    const after = (await kfp.requests()).slice(before);
    assert.deepEqual(after.map((q) => q.method), ["GET", "GET"]);
  });

  void it("refuses without a token, and says so when KFP refuses the token", async () => {
    const none = await resubmit([`kfp:${R1}/train`, "--kfp", kfp.url], { KFP_TOKEN: "" });
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /KFP needs a bearer token: give --kfp-token-file FILE or set KFP_TOKEN/);
    const tokenFile = join(dir, "wrong-token");
    writeFileSync(tokenFile, "not-the-token\n");
    const before = (await kfp.requests()).length;
    const wrong = await resubmit([`kfp:${R1}/train`, "--kfp", kfp.url, "--kfp-token-file", tokenFile]);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /answered HTTP 401 .*the token was refused .*nothing was submitted/s);
    assert.ok(!wrong.stderr.includes("not-the-token"));
    const after = (await kfp.requests()).slice(before);
    assert.deepEqual(after.map((q) => `${q.method} ${q.authorization}`), ["GET Bearer not-the-token"]);
  });

  void it("names the problem when the KFP run or its pipeline version is gone, or the version cannot take a pin", async () => {
    const gone = await resubmit([`kfp:${GONE}/train`, "--kfp", kfp.url]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, new RegExp(`KFP at .* has no run ${GONE} .*nothing was submitted`));
    const deleted = await resubmit([`kfp:${R2}/train`, "--kfp", kfp.url]);
    assert.notEqual(deleted.code, 0);
    assert.match(deleted.stderr, /pipeline version v-deleted of pipeline p-nightly, which KFP run .* ran, no longer exists in KFP/);
    const unpinned = await resubmit([`kfp:${R3}/train`, "--kfp", kfp.url]);
    assert.notEqual(unpinned.code, 0);
    assert.match(unpinned.stderr, /pipeline version v-unpinned has no snaptrail_pin parameter, so the new run could not pin train: compile the pipeline with/);
    const created = (await kfp.requests()).filter((q) => q.method === "POST" && (q.body as { display_name?: string }).display_name?.startsWith("snaptrail rollback"));
    assert.equal(created.length, 1, "nothing but the first story's run was created");
  });

  void it("says KFP failed on HTTP 500, and that it cannot be reached when it is down", async () => {
    const failing = await startFakeKfp({ token: TOKEN, fail_status: 500 });
    try {
      const r = await resubmit([`kfp:${R1}/train`, "--kfp", failing.url]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /answered HTTP 500 to GET \/apis\/v2beta1\/runs\/.*KFP failed; nothing was submitted/s);
    } finally {
      await failing.stop();
    }
    const down = await resubmit([`kfp:${R1}/train`, "--kfp", `http://127.0.0.1:${await freePort()}`]);
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, /KFP at http:\/\/127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\)/);
  });

  void it("refuses a run from another orchestrator, and a Kubeflow run without a destination", async () => {
    const localId = `local:test/kfp-${process.pid}`;
    const local = await runCli(["wrap", "--", "sh", "job.sh"], { cwd: repo, env: { ...env, SNAPTRAIL_RUN_ID: localId } });
    assert.equal(local.code, 0, local.stderr);
    const r = await resubmit([localId, "--kfp", kfp.url]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /is a LOCAL run, not a Kubeflow Pipelines run: --kfp does not apply/);
    const nowhere = await resubmit([`kfp:${R1}/train`]);
    assert.notEqual(nowhere.code, 0);
    assert.match(nowhere.stderr, /is a Kubeflow run: say where it goes: --kfp URL .* or --kubernetes/);
  });

  void it("the fake KFP refuses a request with one field renamed, as the API models say", async () => {
    const res = await fetch(`${kfp.url}/apis/v2beta1/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ display_name: "x", pipeline_version_reference: { pipeline_id: "p-nightly", pipeline_versionid: "v-pinned" } }),
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /unknown field "pipeline_versionid" in V2beta1PipelineVersionReference/);
    const right = await fetch(`${kfp.url}/apis/v2beta1/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ display_name: "x", pipeline_version_reference: { pipeline_id: "p-nightly", pipeline_version_id: "v-pinned" } }),
    });
    assert.equal(right.status, 200, "the same request with the field's right name is accepted");
  });

  void it("through the collector (POST /api/v1/runs/{id}/resubmit, --resubmit-kfp): the same KFP run, the token from the collector's file, recorded in the audit log", async () => {
    // The same store and ports, restarted with KFP credentials of its own (last: it replaces the collector).
    const { db } = collector;
    const listen = collector.grpcAddress;
    const http = collector.httpUrl.replace(/^http:\/\//, "");
    await collector.stop();
    const tokenFile = join(dir, "collector-kfp-token");
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const auditLog = join(dir, "audit", "resubmits.jsonl");
    collector = await startCollectorProcess({ db, listen, http, args: ["--resubmit-kfp", kfp.url, "--resubmit-kfp-token-file", tokenFile, "--resubmit-audit-log", auditLog] });
    const runId = `kfp:${R1}/train`;
    const url = `${collector.httpUrl}/api/v1/runs/${encodeURIComponent(runId)}/resubmit`;
    const dry = (await (await fetch(url)).json()) as { canSubmit: boolean; cliCommand: string; plan: { detail: string } | null };
    assert.equal(dry.canSubmit, true);
    assert.equal(dry.cliCommand, `snaptrail resubmit ${runId} --kfp ${kfp.url} --kfp-token-file ${tokenFile} --collector-http ${collector.httpUrl}`);
    assert.match(dry.plan?.detail ?? "", /dry run: nothing submitted to KFP/);
    const posts = async () => (await kfp.requests()).filter((q) => q.method === "POST").length;
    const before = await posts();
    const res = await fetch(url, { method: "POST" });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.ok(!text.includes(TOKEN), "the token is never in the answer");
    const answer = JSON.parse(text) as { jobId: string; expectedRunId: string };
    assert.match(answer.jobId, /^[0-9a-f-]{36}$/);
    assert.equal(answer.expectedRunId, `kfp:${answer.jobId}/train`);
    assert.equal(await posts(), before + 1, "one KFP run created");
    const lines = readFileSync(auditLog, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => [l.event, l.runId, l.orchestrator]), [["requested", runId, "KUBEFLOW"], ["submitted", runId, "KUBEFLOW"]]);
    assert.equal(lines[1]!.jobId, answer.jobId);
    assert.ok(!readFileSync(auditLog, "utf8").includes(TOKEN));
  });
});
