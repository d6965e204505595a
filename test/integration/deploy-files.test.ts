// deploy/ checked with what can run without a Docker engine or a cluster: the Kubernetes
// manifests strictly against the official schemas (kubernetes-validate), the compose file against
// the compose specification's schema (check-jsonschema's bundled copy), the Dockerfiles with
// hadolint; each validator is shown to refuse a file with a field renamed. Then what no schema
// knows: the collector accepts every setting the files give it, the Secrets and salt are mounted
// where the collector reads them, no image names a digest nobody read, no Secret holds a real value.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { COLLECTOR_ENV_NAMES, exposedListeners, resolveCollectorOptions } from "../../collector/collector-options.js";
import { redactionSaltPath } from "../../collector/redaction-salt-file.js";
import { CLICKHOUSE_PASSWORD_ENV, CLICKHOUSE_PASSWORD_FILE_ENV, parseClickHouseUrl } from "../../collector/store/clickhouse-store-options.js";
import { deployValidators, REPO_ROOT, type DeployValidators } from "../helpers/deploy-validators.js";
import { snaptrailError } from "../helpers/snaptrail-error.js";

const DEPLOY = path.join(REPO_ROOT, "deploy");
const KUBERNETES = path.join(DEPLOY, "kubernetes");
const COMPOSE = path.join(DEPLOY, "compose", "compose.yaml");
const DOCKERFILES = ["collector.Dockerfile", "agent.Dockerfile"].map((f) => path.join(DEPLOY, "docker", f));
const manifests = readdirSync(KUBERNETES)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => path.join(KUBERNETES, f));

/** Every environment variable the collector reads. */
const COLLECTOR_READS = new Set<string>([...Object.values(COLLECTOR_ENV_NAMES), CLICKHOUSE_PASSWORD_ENV, CLICKHOUSE_PASSWORD_FILE_ENV]);
/** A digest someone wrote down: exactly what must never appear without having been read from a registry. */
const WRITTEN_DIGEST = /@sha256:[0-9a-f]{64}/;

let v: DeployValidators;
const scratch = mkdtempSync(path.join(tmpdir(), "snaptrail-deploy-"));
before(async () => {
  v = await deployValidators();
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of `file` with `from` replaced by `to` (once, and it must be there). */
function renamed(file: string, from: string, to: string): string {
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes(from), `${from} not in ${file}`);
  const out = path.join(scratch, `renamed-${path.basename(file)}`);
  writeFileSync(out, text.replace(from, to));
  return out;
}

type K8sObject = { kind: string; metadata: { name: string }; data?: Record<string, string>; stringData?: Record<string, string>; spec?: unknown };
type Container = { name: string; image: string; volumeMounts?: { name: string; mountPath: string; subPath?: string }[]; readinessProbe?: unknown; livenessProbe?: unknown; resources?: { requests?: object; limits?: object }; securityContext?: Record<string, unknown> };
type PodSpec = { containers: Container[]; volumes?: { name: string; secret?: { secretName: string; items?: { key: string; path: string }[] } }[]; securityContext?: Record<string, unknown> };

let parsed: Promise<K8sObject[]> | undefined;
function objects(): Promise<K8sObject[]> {
  parsed ??= (async () => {
    const all: K8sObject[] = [];
    for (const file of manifests) all.push(...((await v.yamlDocuments(file)) as K8sObject[]).filter(Boolean));
    return all;
  })();
  return parsed;
}

function podSpecOf(o: K8sObject): PodSpec | undefined {
  return (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
}

void describe("Kubernetes manifests (deploy/kubernetes)", () => {
  void it("pass kubernetes-validate -k 1.30 --strict, every document of every file", async () => {
    const run = await v.kubernetes(manifests);
    assert.equal(run.code, 0, run.output);
    const passed = run.output.split("\n").filter((l) => /passed for resource/.test(l)).length;
    assert.equal(passed, (await objects()).length, run.output);
    assert.ok(passed >= 15, `only ${passed} resources`);
  });

  void it("are refused with a field renamed (readinessProbe -> readinesProbe)", async () => {
    const run = await v.kubernetes([renamed(path.join(KUBERNETES, "50-collector.yaml"), "readinessProbe:", "readinesProbe:")]);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, /deployment\/snaptrail-collector.*'readinesProbe' was unexpected/);
  });

  void it("give the collector only settings it reads, and values it accepts", async () => {
    const all = await objects();
    const config = all.find((o) => o.kind === "ConfigMap" && o.metadata.name === "snaptrail-collector");
    assert.ok(config?.data);
    const unknown = Object.keys(config.data).filter((name) => !COLLECTOR_READS.has(name));
    assert.deepEqual(unknown, [], "a misspelt variable would be ignored silently");
    const options = resolveCollectorOptions({ env: config.data });
    assert.equal(options.blobStore, "nats");
    assert.equal(options.natsReplicas, 3);
    const passwordFile = path.join(scratch, "password");
    writeFileSync(passwordFile, "not-a-real-password\n");
    const store = parseClickHouseUrl(options.store, { [CLICKHOUSE_PASSWORD_FILE_ENV]: passwordFile });
    assert.equal(store.database, "snaptrail");

    // Where the collector reads its Secrets is where the Deployment mounts them.
    const deployment = all.find((o) => o.kind === "Deployment" && o.metadata.name === "snaptrail-collector")!;
    const pod = podSpecOf(deployment)!;
    const container = pod.containers[0]!;
    const mountOf = (volume: string) => container.volumeMounts?.find((m) => m.name === volume);
    const secretOf = (volume: string) => pod.volumes?.find((vol) => vol.name === volume)?.secret;
    assert.equal(mountOf("redaction-salt")?.mountPath, redactionSaltPath(options), "every replica reads the one salt from the Secret");
    assert.equal(secretOf("redaction-salt")?.secretName, "snaptrail-redaction-salt");
    const password = secretOf("clickhouse-password")!;
    assert.equal(path.join(mountOf("clickhouse-password")!.mountPath, password.items![0]!.path), config.data[CLICKHOUSE_PASSWORD_FILE_ENV]);
    assert.equal(password.secretName, "snaptrail-clickhouse");

    // It listens on the pod's every address, so it runs with TLS (from a Secret mounted where the
    // settings point) and tokens, never --insecure.
    assert.deepEqual(exposedListeners(options), ["listen", "http"]);
    assert.equal(options.auth, "tokens");
    assert.equal(options.insecure, false);
    const tls = secretOf("tls")!;
    assert.equal(tls.secretName, "snaptrail-collector-tls");
    for (const [setting, key] of [[options.tlsCert, "tls.crt"], [options.tlsKey, "tls.key"]] as const) {
      const item = tls.items!.find((i) => i.key === key)!;
      assert.equal(path.join(mountOf("tls")!.mountPath, item.path), setting, `${key} is mounted where the collector reads it`);
    }
    const secret = all.find((o) => o.kind === "Secret" && o.metadata.name === "snaptrail-collector-tls") as K8sObject & { type?: string };
    assert.equal(secret?.type, "kubernetes.io/tls");
    // Without the TLS files and tokens the same settings are refused before anything listens.
    const { SNAPTRAIL_COLLECTOR_TLS_CERT: _c, SNAPTRAIL_COLLECTOR_TLS_KEY: _k, ...withoutTls } = config.data;
    assert.throws(() => resolveCollectorOptions({ env: withoutTls }), snaptrailError("BAD_CONFIG", "beyond loopback without TLS"));
    assert.throws(() => resolveCollectorOptions({ env: { ...config.data, SNAPTRAIL_AUTH: "none" } }), snaptrailError("BAD_CONFIG", "without auth"));

    // The hosts in the URLs are Services of these manifests.
    const services = new Set(all.filter((o) => o.kind === "Service").map((o) => o.metadata.name));
    for (const url of [options.store, options.nats!]) {
      const service = new URL(url.replace(/^clickhouse:/, "http:").replace(/^nats:/, "http:")).hostname.split(".")[0]!;
      assert.ok(services.has(service), `${url}: no Service ${service}`);
    }
  });

  void it("name the setting when a value in them is out of range", async () => {
    const config = (await objects()).find((o) => o.kind === "ConfigMap" && o.metadata.name === "snaptrail-collector")!;
    assert.throws(
      () => resolveCollectorOptions({ env: { ...config.data, SNAPTRAIL_COLLECTOR_NATS_REPLICAS: "7" } }),
      snaptrailError("BAD_CONFIG", "natsReplicas", "SNAPTRAIL_COLLECTOR_NATS_REPLICAS"),
    );
    assert.throws(
      () => resolveCollectorOptions({ env: { ...config.data, SNAPTRAIL_COLLECTOR_NATS_BLOB_MAX_BYTES: "0" } }),
      snaptrailError("BAD_CONFIG", "natsBlobMaxBytes", "SNAPTRAIL_COLLECTOR_NATS_BLOB_MAX_BYTES"),
    );
  });

  void it("probe /healthz for liveness and /readyz for readiness, limit resources and run nothing as root", async () => {
    const all = await objects();
    const collector = podSpecOf(all.find((o) => o.kind === "Deployment" && o.metadata.name === "snaptrail-collector")!)!.containers[0]!;
    assert.deepEqual(collector.livenessProbe, { httpGet: { path: "/healthz", port: "http", scheme: "HTTPS" }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
    assert.deepEqual((collector.readinessProbe as { httpGet: object }).httpGet, { path: "/readyz", port: "http", scheme: "HTTPS" });
    const workloads = all.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
    assert.deepEqual(workloads.map((o) => `${o.kind}/${o.metadata.name}`).sort(), ["Deployment/snaptrail-collector", "StatefulSet/clickhouse", "StatefulSet/nats"]);
    for (const w of workloads) {
      const pod = podSpecOf(w)!;
      assert.equal(pod.securityContext?.runAsNonRoot, true, w.metadata.name);
      for (const c of pod.containers) {
        assert.ok(c.resources?.requests && c.resources.limits, `${w.metadata.name}/${c.name} has requests and limits`);
        assert.equal(c.securityContext?.allowPrivilegeEscalation, false, c.name);
        assert.ok(c.readinessProbe && c.livenessProbe, `${c.name} has probes`);
        assert.doesNotMatch(c.image, WRITTEN_DIGEST, `${c.image}: a digest nobody read from a registry`);
        assert.doesNotMatch(c.image, /:latest$|^[^:]+$/, `${c.image}: pinned by tag`);
      }
    }
    const nats = all.find((o) => o.kind === "StatefulSet" && o.metadata.name === "nats")!;
    assert.equal((nats.spec as { replicas: number }).replicas, 3);
  });

  void it("hold placeholders in their Secrets, never a value", async () => {
    const secrets = (await objects()).filter((o) => o.kind === "Secret");
    assert.ok(secrets.length >= 3);
    for (const s of secrets) {
      for (const [key, value] of Object.entries({ ...s.stringData, ...s.data })) {
        assert.match(value, /^REPLACE-ME/, `${s.metadata.name}.${key}`);
      }
    }
  });
});

void describe("compose file (deploy/compose/compose.yaml)", () => {
  void it("passes the compose specification's schema", async () => {
    const run = await v.compose([COMPOSE]);
    assert.equal(run.code, 0, run.output);
  });

  void it("is refused with a field renamed (image -> imag)", async () => {
    const run = await v.compose([renamed(COMPOSE, "    image: nats", "    imag: nats")]);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, /'imag' was unexpected/);
  });

  void it("runs a collector on NATS and a current ClickHouse, with settings the collector accepts", async () => {
    const [compose] = (await v.yamlDocuments(COMPOSE)) as { services: Record<string, { image?: string; environment?: Record<string, string>; ports?: string[] }> }[];
    const services = compose!.services;
    assert.deepEqual(Object.keys(services).sort(), ["clickhouse", "collector", "nats"]);
    assert.match(services.clickhouse!.image!, /^clickhouse\/clickhouse-server:2\d\./, "a current ClickHouse, not 18.16");
    const env = Object.fromEntries(Object.entries(services.collector!.environment!).map(([k, val]) => [k, val.startsWith("${") ? "from-dot-env" : val]));
    assert.deepEqual(Object.keys(env).filter((name) => !COLLECTOR_READS.has(name)), []);
    const options = resolveCollectorOptions({ env });
    assert.equal(options.blobStore, "nats");
    assert.equal(parseClickHouseUrl(options.store, env).username, "snaptrail");
    // 0.0.0.0 in the container, published on the host's loopback only: --insecure, said in a comment.
    assert.equal(options.insecure, true);
    assert.match(readFileSync(COMPOSE, "utf8"), /published\n\s+# on the host's loopback only .*\n.*TLS and tokens/);
    assert.throws(() => resolveCollectorOptions({ env: { ...env, SNAPTRAIL_COLLECTOR_INSECURE: "0" } }), snaptrailError("BAD_CONFIG", "beyond loopback"));
    for (const s of Object.values(services)) {
      if (s.image) assert.doesNotMatch(s.image, WRITTEN_DIGEST);
      for (const p of s.ports ?? []) assert.match(p, /^127\.0\.0\.1:/, `${p}: published on loopback only`);
    }
  });
});

void describe("Dockerfiles (deploy/docker)", () => {
  void it("pass hadolint with no finding at all", async () => {
    const run = await v.hadolint(DOCKERFILES);
    assert.equal(run.code, 0, run.output);
  });

  void it("are refused with an instruction renamed (USER -> USR), or run as root", async () => {
    const collector = DOCKERFILES[0]!;
    const typo = await v.hadolint([renamed(collector, "USER 10001:10001", "USR 10001:10001")]);
    assert.notEqual(typo.code, 0, typo.output);
    assert.match(typo.output, /unexpected 'U'/);
    const root = await v.hadolint([renamed(collector, "USER 10001:10001", "USER root")]);
    assert.notEqual(root.code, 0, root.output);
    assert.match(root.output, /DL3002/);
  });

  void it("are multi-stage, pinned by tag with the place for a digest marked, and end as a numeric non-root user", () => {
    for (const file of DOCKERFILES) {
      const text = readFileSync(file, "utf8");
      const froms = [...text.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!);
      assert.ok(froms.length >= 2, `${file}: multi-stage`);
      for (const image of froms) {
        assert.match(image, /^[a-z0-9./-]+:[A-Za-z0-9._-]+$/, `${image}: pinned by tag`);
        assert.doesNotMatch(image, /:latest$/);
        assert.ok(text.includes(`FROM ${image}@sha256:<digest read from your registry>`), `${file}: the digest's place is marked for ${image}`);
      }
      assert.doesNotMatch(text, WRITTEN_DIGEST, `${file}: a digest nobody read from a registry`);
      const users = [...text.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
      assert.match(users.at(-1) ?? "", /^[1-9][0-9]*:[1-9][0-9]*$/, `${file}: ends as a numeric non-root user`);
    }
  });
});

void describe("Kubeflow and plain-Job files (deploy/kubeflow)", () => {
  const KUBEFLOW = path.join(DEPLOY, "kubeflow");
  const files = ["rbac.yaml", "job-example.yaml"].map((f) => path.join(KUBEFLOW, f));

  void it("pass kubernetes-validate -k 1.30 --strict, and are refused with a field renamed (verbs -> verb)", async () => {
    const run = await v.kubernetes(files);
    assert.equal(run.code, 0, run.output);
    assert.equal(run.output.split("\n").filter((l) => /passed for resource/.test(l)).length, 4, run.output);
    const bad = await v.kubernetes([renamed(path.join(KUBEFLOW, "rbac.yaml"), "verbs:", "verb:")]);
    assert.notEqual(bad.code, 0, bad.output);
  });

  void it("give job pods get on pods of their namespace and nothing else, bound to the example Job's account", async () => {
    const docs = (await v.yamlDocuments(files[0]!)) as (K8sObject & { rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[]; roleRef?: { kind: string; name: string }; subjects?: { name: string; namespace: string }[]; metadata: { namespace: string } })[];
    const role = docs.find((d) => d.kind === "Role");
    assert.deepEqual(role?.rules, [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }]);
    assert.ok(!docs.some((d) => d.kind.startsWith("Cluster")), "nothing cluster-wide");
    const binding = docs.find((d) => d.kind === "RoleBinding");
    assert.deepEqual(binding?.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role?.metadata.name });
    const job = ((await v.yamlDocuments(files[1]!)) as K8sObject[])[0]!;
    const pod = podSpecOf(job) as PodSpec & { serviceAccountName?: string; containers: (Container & { command?: string[]; env?: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[] })[] };
    assert.ok(binding?.subjects?.some((s) => s.name === pod.serviceAccountName && s.namespace === role?.metadata.namespace), "the example Job's account can read its pod");
    const env = Object.fromEntries((pod.containers[0]?.env ?? []).map((e) => [e.name, e.valueFrom?.fieldRef?.fieldPath]));
    // What agent/host/kubernetes-image.ts reads to find its own pod.
    assert.equal(env.POD_NAME, "metadata.name");
    assert.equal(env.POD_NAMESPACE, "metadata.namespace");
    assert.equal(pod.containers[0]?.command?.[0], "/opt/snaptrail/snaptrail-entrypoint.sh");
  });

  void it("the entrypoint runs the command under snaptrail wrap, or unrecorded when snaptrail is missing, exit status passed through", async () => {
    const { spawnSync } = await import("node:child_process");
    const entrypoint = path.join(KUBEFLOW, "snaptrail-entrypoint.sh");
    const fake = path.join(scratch, "snaptrail");
    // Stands in for snaptrail to show what it is given; `wrap` itself is tested with the real agent.
    writeFileSync(fake, '#!/bin/sh\necho "snaptrail $*"\nshift 2\nexec "$@"\n', { mode: 0o755 });
    const wrapped = spawnSync(entrypoint, ["sh", "-c", "echo ran; exit 3"], { env: { ...process.env, SNAPTRAIL_BIN: fake }, encoding: "utf8" });
    assert.equal(wrapped.stdout, "snaptrail wrap -- sh -c echo ran; exit 3\nran\n");
    assert.equal(wrapped.status, 3);
    const bare = spawnSync(entrypoint, ["sh", "-c", "echo ran; exit 4"], { env: { ...process.env, SNAPTRAIL_BIN: path.join(scratch, "missing") }, encoding: "utf8" });
    assert.equal(bare.stdout, "ran\n");
    assert.equal(bare.status, 4);
    assert.match(bare.stderr, /snaptrail-entrypoint: .*missing not found, running the command unrecorded/);
    const none = spawnSync(entrypoint, [], { encoding: "utf8" });
    assert.equal(none.status, 64);
  });
});
