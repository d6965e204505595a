import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startCollectorProcess, type CollectorProcess } from "../helpers/collector-process.js";
import { startFakeKubernetesApi, type FakeKubernetesApi } from "../helpers/fake-kubernetes-api.js";
import { freePort } from "../helpers/free-port.js";
import { commitRepo } from "../helpers/git.js";
import { runCli } from "../helpers/run-cli.js";

// `snaptrail resubmit --kubernetes`: a recorded container run becomes a Kubernetes Job whose image
// is pinned by the recorded digest, created with @kubernetes/client-node against a stand-in API
// server (test/helpers/fake-kubernetes-api.ts) that checks each Job with kubernetes-models and
// kubernetes-validate --strict. No real cluster runs here: scheduling and running the Job is not tested.

const DIGEST = `sha256:${"4f".repeat(32)}`;
const TOKEN = "k8s-test-token-abcdef";
const KFP_RUN = "4f1c2a9e-7d3b-4a5e-9c1f-2b8d6e0a1c3d";
const UNPINNED_RUN = "77777777-7d3b-4a5e-9c1f-2b8d6e0a1c3d";

interface CreatedJob {
  metadata: { name: string; namespace: string; annotations: Record<string, string> };
  spec: { backoffLimit: number; template: { spec: { restartPolicy: string; containers: { image: string; command: string[]; workingDir?: string; env: { name: string; value?: string; valueFrom?: { fieldRef: { fieldPath: string } } }[] }[] } } };
}

void describe("snaptrail resubmit --kubernetes: a container run as a Job pinned by its image digest", { timeout: 5 * 60_000 }, () => {
  let dir: string;
  let repo: string;
  let collector: CollectorProcess;
  let api: FakeKubernetesApi;
  let env: NodeJS.ProcessEnv;

  async function record(kfpRunId: string, image: string): Promise<void> {
    const r = await runCli(["wrap", "--", "sh", "job.sh", "--epochs", "3"], {
      cwd: repo,
      env: { ...env, KFP_RUN_ID: kfpRunId, KFP_PIPELINE_NAME: "nightly-train", KFP_TASK_NAME: "train", POD_NAMESPACE: "ml", SNAPTRAIL_IMAGE: image, LANG: "C.UTF-8" },
    });
    assert.equal(r.code, 0, r.stderr);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "snaptrail-k8s-job-"));
    repo = join(dir, "repo");
    commitRepo(repo, { "job.sh": 'echo "code=v1 $*"\n' }, "v1");
    collector = await startCollectorProcess({ db: join(dir, "snaptrail.db") });
    env = { ...process.env, SNAPTRAIL_COLLECTOR: collector.grpcAddress, SNAPTRAIL_COLLECTOR_HTTP: collector.httpUrl, SNAPTRAIL_SPOOL_DIR: join(dir, "spool"), SNAPTRAIL_CACHE_DIR: join(dir, "cache") };
    delete env.KUBERNETES_SERVICE_HOST;
    delete env.KUBECONFIG;
    api = await startFakeKubernetesApi({ token: TOKEN, namespaces: ["ml", "default"] });
    await record(KFP_RUN, `ghcr.io/acme/train:2024-05@${DIGEST}`);
    await record(UNPINNED_RUN, "ghcr.io/acme/train:2024-05");
  });

  after(async () => {
    await api?.stop();
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void it("creates the Job with the image by digest, the recorded command, directory and variables, and the restore settings", async () => {
    const r = await runCli(["resubmit", `kfp:${KFP_RUN}/train`, "--kubernetes", "--kubeconfig", api.kubeconfig(TOKEN), "--cluster-collector-http", "http://collector.snaptrail:8080"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.toString(), /created Kubernetes Job ml\/snaptrail-rollback-[0-9a-f]{5} on https:\/\/127\.0\.0\.1:\d+ running ghcr\.io\/acme\/train@sha256:4f4f/);
    assert.equal(api.jobs.length, 1);
    const job = api.jobs[0] as unknown as CreatedJob;
    assert.equal(job.metadata.namespace, "ml", "the namespace the run was recorded in");
    assert.equal(job.metadata.annotations["snaptrail.dev/rollback-of"], `kfp:${KFP_RUN}/train`);
    const spec = job.spec.template.spec;
    assert.equal(spec.restartPolicy, "Never");
    assert.equal(job.spec.backoffLimit, 0);
    const c = spec.containers[0];
    assert.equal(c?.image, `ghcr.io/acme/train@${DIGEST}`);
    assert.deepEqual(c?.command, ["snaptrail", "wrap", "--", "sh", "job.sh", "--epochs", "3"]);
    assert.equal(c?.workingDir, repo);
    const vars = Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value]));
    assert.equal(vars.SNAPTRAIL_RESTORE, `kfp:${KFP_RUN}/train`);
    assert.equal(vars.SNAPTRAIL_RESTORE_ENV, "image");
    assert.equal(vars.SNAPTRAIL_COLLECTOR_HTTP, "http://collector.snaptrail:8080");
    assert.equal(vars.LANG, "C.UTF-8", "a recorded variable");
    assert.equal(vars.KFP_RUN_ID, undefined, "the old pod's ids stay behind");
    const pod = Object.fromEntries((c?.env ?? []).filter((e) => e.valueFrom).map((e) => [e.name, e.valueFrom?.fieldRef.fieldPath]));
    assert.deepEqual(pod, { POD_NAME: "metadata.name", POD_NAMESPACE: "metadata.namespace" }, "the agent in the Job can find its own Pod");
    assert.ok(!r.stdout.toString().includes(TOKEN) && !r.stderr.includes(TOKEN));
  });

  void it("refuses a run recorded without an image digest, saying why, and sends nothing", async () => {
    const before = api.requests.length;
    const r = await runCli(["resubmit", `kfp:${UNPINNED_RUN}/train`, "--kubernetes", "--kubeconfig", api.kubeconfig(TOKEN)], { env });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /recorded the image ghcr\.io\/acme\/train:2024-05 without a sha256 digest \(image digest unknown: SNAPTRAIL_IMAGE has no @sha256: digest.*\): a tag can point at another image by now.*nothing was submitted/s);
    assert.equal(api.requests.length, before);
  });

  void it("prints the Job on a dry run and creates nothing", async () => {
    const before = api.jobs.length;
    const r = await runCli(["resubmit", `kfp:${KFP_RUN}/train`, "--kubernetes", "--kubeconfig", api.kubeconfig(TOKEN), "--namespace", "default", "--dry-run"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.toString(), /POST https:\/\/127\.0\.0\.1:\d+\/apis\/batch\/v1\/namespaces\/default\/jobs \{"apiVersion":"batch\/v1","kind":"Job"/);
    assert.equal(api.jobs.length, before);
  });

  void it("names the problem: a refused token, a missing namespace, an API server that is down", async () => {
    const wrong = await runCli(["resubmit", `kfp:${KFP_RUN}/train`, "--kubernetes", "--kubeconfig", api.kubeconfig("wrong-token")], { env });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /answered HTTP 401 to creating a Job in ml: the kubeconfig's credentials were refused; nothing was submitted/);
    const ns = await runCli(["resubmit", `kfp:${KFP_RUN}/train`, "--kubernetes", "--kubeconfig", api.kubeconfig(TOKEN), "--namespace", "nope"], { env });
    assert.notEqual(ns.code, 0);
    assert.match(ns.stderr, /HTTP 404 to creating a Job in nope: no such namespace; nothing was submitted:\nnamespaces "nope" not found/);
    const downConfig = api.kubeconfig(TOKEN).replace(/$/, "");
    const port = await freePort();
    const text = (await import("node:fs")).readFileSync(downConfig, "utf8").replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`);
    (await import("node:fs")).writeFileSync(downConfig, text);
    const down = await runCli(["resubmit", `kfp:${KFP_RUN}/train`, "--kubernetes", "--kubeconfig", downConfig], { env });
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, /the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\); nothing was submitted/);
  });

  void it("the fake API server refuses a Job with one field renamed", async () => {
    const job = { apiVersion: "batch/v1", kind: "Job", metadata: { generateName: "x-" }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: `a@${DIGEST}`, comand: ["true"] }] } } } };
    const res = await api.postJob("ml", job, TOKEN);
    assert.equal(res.status, 422);
    assert.match(res.body.message ?? "", /comand/);
    const fixed = structuredClone(job) as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    const c = fixed.spec.template.spec.containers[0] ?? {};
    c.command = c.comand;
    delete c.comand;
    assert.equal((await api.postJob("ml", fixed, TOKEN)).status, 201, "the same Job with the field's right name is accepted");
  });
});
