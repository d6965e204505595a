import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { captureSnapshot } from "../../agent/capture/capture-snapshot.js";
import { detectImage } from "../../agent/host/detect-container-image.js";
import { digestFromImageId, kubernetesImage } from "../../agent/host/kubernetes-image.js";
import { createTestCertificates, type TestCertificates } from "../helpers/test-ca.js";

const DIGEST = `sha256:${"4f".repeat(32)}`;
const SIDECAR_DIGEST = `sha256:${"9c".repeat(32)}`;
const TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6bWw6dHJhaW4ifQ.c2lnbmF0dXJl";

/** A core/v1 Pod as the API server returns it for GET /api/v1/namespaces/{ns}/pods/{name}. */
function pod(name: string, namespace: string, containers: { name: string; image: string; imageID: string }[]): object {
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: {
      name,
      namespace,
      uid: "0f7c3b1e-8a5d-4f7e-9d55-2f1b7f7e6a10",
      resourceVersion: "123456",
      creationTimestamp: "2024-05-01T02:00:00Z",
      labels: { "pipelines.kubeflow.org/v2_component": "true", "workflows.argoproj.io/workflow": "nightly-train-x7k2p" },
    },
    spec: {
      serviceAccountName: "pipeline-runner",
      nodeName: "gpu-node-3",
      containers: containers.map((c) => ({ name: c.name, image: c.image, imagePullPolicy: "IfNotPresent" })),
    },
    status: {
      phase: "Running",
      podIP: "10.42.3.17",
      startTime: "2024-05-01T02:00:03Z",
      containerStatuses: containers.map((c, i) => ({
        name: c.name,
        state: { running: { startedAt: "2024-05-01T02:00:05Z" } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image: c.image,
        imageID: c.imageID,
        containerID: `containerd://${String(i).repeat(64)}`,
        started: true,
      })),
    },
  };
}

void describe("image digest from the pod's own status through the in-cluster API (fake API server, HTTPS, test CA)", () => {
  let certs: TestCertificates;
  let server: Server;
  let port = 0;
  let root: string;
  let saDir: string;
  const requests: { url: string; auth: string }[] = [];
  const pods = new Map<string, object>();

  before(async () => {
    certs = await createTestCertificates();
    root = mkdtempSync(path.join(os.tmpdir(), "snaptrail-k8s-"));
    saDir = path.join(root, "serviceaccount");
    mkdirSync(saDir);
    writeFileSync(path.join(saDir, "token"), `${TOKEN}\n`);
    writeFileSync(path.join(saDir, "ca.crt"), certs.caPem);
    writeFileSync(path.join(saDir, "namespace"), "ml");
    pods.set("/api/v1/namespaces/ml/pods/train-abc", pod("train-abc", "ml", [{ name: "main", image: "ghcr.io/acme/train:2024-05", imageID: `ghcr.io/acme/train@${DIGEST}` }]));
    pods.set(
      "/api/v1/namespaces/ml/pods/two-containers",
      pod("two-containers", "ml", [
        { name: "trainer", image: "ghcr.io/acme/train:2024-05", imageID: `docker-pullable://ghcr.io/acme/train@${DIGEST}` },
        { name: "logger", image: "fluent/fluent-bit:3.0", imageID: `docker.io/fluent/fluent-bit@${SIDECAR_DIGEST}` },
      ]),
    );
    pods.set("/api/v1/namespaces/ml/pods/no-digest", pod("no-digest", "ml", [{ name: "main", image: "train:dev", imageID: "" }]));
    server = createServer({ key: certs.serverKeyPem, cert: certs.serverCertPem }, (req, res) => {
      requests.push({ url: req.url ?? "", auth: req.headers.authorization ?? "" });
      res.setHeader("Content-Type", "application/json");
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.statusCode = 401;
        res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 }));
        return;
      }
      if (req.url === "/api/v1/namespaces/ml/pods/forbidden") {
        res.statusCode = 403;
        res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Forbidden", code: 403 }));
        return;
      }
      const body = pods.get(req.url ?? "");
      res.statusCode = body ? 200 : 404;
      res.end(JSON.stringify(body ?? { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(root, { recursive: true, force: true });
  });

  const env = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: String(port), POD_NAME: "train-abc", POD_NAMESPACE: "ml", ...over });

  void it("reads the digest of the job's container, authorised by the service account token", async () => {
    const got = await kubernetesImage(env(), { serviceAccountDir: saDir });
    assert.equal(got.warning, null);
    assert.deepEqual(got.image, { reference: "ghcr.io/acme/train:2024-05", digest: DIGEST, source: "kubernetes", runtime: "kubernetes" });
    assert.deepEqual(requests.at(-1), { url: "/api/v1/namespaces/ml/pods/train-abc", auth: `Bearer ${TOKEN}` });
  });

  void it("takes the namespace from the service account and the pod name from HOSTNAME when the downward API is not used", async () => {
    const got = await kubernetesImage(env({ POD_NAME: "", POD_NAMESPACE: "", HOSTNAME: "train-abc" }), { serviceAccountDir: saDir });
    assert.equal(got.image.digest, DIGEST);
  });

  void it("picks the named container among several, and says so when it cannot tell", async () => {
    const named = await kubernetesImage(env({ POD_NAME: "two-containers", SNAPTRAIL_CONTAINER_NAME: "trainer" }), { serviceAccountDir: saDir });
    assert.equal(named.image.digest, DIGEST);
    const unsure = await kubernetesImage(env({ POD_NAME: "two-containers" }), { serviceAccountDir: saDir });
    assert.equal(unsure.image.digest, "");
    assert.match(unsure.warning ?? "", /image digest unknown: the pod has 2 containers \(trainer, logger\); set SNAPTRAIL_CONTAINER_NAME/);
  });

  void it("records an unknown digest with the reason, never a made-up one", async () => {
    const cases: [NodeJS.ProcessEnv, { serviceAccountDir: string }, RegExp][] = [
      [env({ POD_NAME: "no-digest" }), { serviceAccountDir: saDir }, /container main has imageID "", with no sha256 digest/],
      [env({ POD_NAME: "forbidden" }), { serviceAccountDir: saDir }, /HTTP 403 \(the service account needs get on pods\)/],
      [env({ POD_NAME: "gone" }), { serviceAccountDir: saDir }, /HTTP 404/],
      [env(), { serviceAccountDir: path.join(root, "nothing") }, /without .*nothing\/token, .*nothing\/ca\.crt/],
      [env({ KUBERNETES_SERVICE_PORT: "1" }), { serviceAccountDir: saDir }, /ECONNREFUSED/],
    ];
    for (const [e, o, why] of cases) {
      const got = await kubernetesImage(e, o);
      assert.equal(got.image.digest, "", JSON.stringify(got));
      assert.equal(got.image.source, "kubernetes");
      assert.match(got.warning ?? "", /^image digest unknown: /);
      assert.match(got.warning ?? "", why);
    }
  });

  void it("refuses an API server whose certificate the cluster CA did not sign", async () => {
    const otherDir = path.join(root, "other-sa");
    mkdirSync(otherDir);
    writeFileSync(path.join(otherDir, "token"), TOKEN);
    writeFileSync(path.join(otherDir, "ca.crt"), certs.otherCaPem);
    const got = await kubernetesImage(env(), { serviceAccountDir: otherDir });
    assert.equal(got.image.digest, "");
    assert.match(got.warning ?? "", /certificate/i);
  });

  void it("is what detectImage and captureSnapshot record inside a pod", async () => {
    const detected = await detectImage(env(), { serviceAccountDir: saDir, containerEnvFile: path.join(root, "none") });
    assert.equal(detected.image?.digest, DIGEST);
    assert.deepEqual(detected.warnings, []);
    // Outside a real pod the service account folder is missing: captureSnapshot says why.
    const snap = await captureSnapshot({ argv: ["true"], cwd: root, env: { ...process.env, ...env() }, maxArchiveBytes: 1024, cacheDir: "" });
    assert.equal(snap.environment.image?.source, "kubernetes");
    assert.equal(snap.environment.image?.digest, "");
    assert.ok(snap.warnings.some((w) => w.source === "image" && w.message.startsWith("image digest unknown")), JSON.stringify(snap.warnings));
  });

  void it("a retried KFP component in its pod: a run id of its own attempt, the digest from the pod", async () => {
    // The variables deploy/kubeflow's with_snaptrail gives the container (downward API and env).
    const podEnv = env({
      KFP_RUN_ID: "4f1c2a9e-7d3b-4a5e-9c1f-2b8d6e0a1c3d",
      KFP_RUN_NAME: "nightly-train 2026-11-26",
      ARGO_NODE_NAME: "nightly-train-x7k2p.root.train.executor(2)",
      KFP_POD_NAME: "train-abc",
      KFP_PIPELINE_NAME: "nightly-train",
      KFP_TASK_NAME: "train",
    });
    const detected = await detectImage(podEnv, { serviceAccountDir: saDir, containerEnvFile: path.join(root, "none") });
    assert.equal(detected.image?.digest, DIGEST);
    assert.deepEqual(requests.at(-1), { url: "/api/v1/namespaces/ml/pods/train-abc", auth: `Bearer ${TOKEN}` });
    const snap = await captureSnapshot({ argv: ["true"], cwd: root, env: { ...process.env, ...podEnv }, maxArchiveBytes: 1024, cacheDir: "" });
    assert.equal(snap.runId, "kfp:4f1c2a9e-7d3b-4a5e-9c1f-2b8d6e0a1c3d/train+2");
    const first = await captureSnapshot({ argv: ["true"], cwd: root, env: { ...process.env, ...podEnv, ARGO_NODE_NAME: "nightly-train-x7k2p.root.train.executor(0)" }, maxArchiveBytes: 1024, cacheDir: "" });
    assert.equal(first.runId, "kfp:4f1c2a9e-7d3b-4a5e-9c1f-2b8d6e0a1c3d/train");
  });

  void it("reads digests from every imageID form", () => {
    assert.equal(digestFromImageId(`docker-pullable://ghcr.io/acme/train@${DIGEST}`), DIGEST);
    assert.equal(digestFromImageId(`ghcr.io/acme/train@${DIGEST}`), DIGEST);
    assert.equal(digestFromImageId(DIGEST), DIGEST);
    assert.equal(digestFromImageId(`docker://${DIGEST}`), DIGEST);
    assert.equal(digestFromImageId("ghcr.io/acme/train:latest"), "");
    assert.equal(digestFromImageId("sha256:short"), "");
  });
});
