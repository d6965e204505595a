// A stand-in Kubernetes API server for the one call the Job resubmitter makes,
// POST /apis/batch/v1/namespaces/{ns}/jobs, over HTTPS on a loopback port (a test CA the kubeconfig names). Every Job it receives is checked
// twice against the official definitions: kubernetes-models' validator for batch/v1 Job (types,
// required fields) and kubernetes-validate --strict with the Kubernetes JSON schemas (unknown
// fields, which kubernetes-models lets through). A Job that fails either is answered 422 Invalid,
// as the API server answers; a bad token 401; an unknown namespace 404.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Job } from "kubernetes-models/batch/v1/Job";
import { deployValidators, type DeployValidators } from "./deploy-validators.js";
import { createTestCertificates } from "./test-ca.js";

export interface FakeKubernetesApi {
  url: string;
  /** Jobs it created, as it stored them. */
  jobs: Record<string, unknown>[];
  requests: { method: string; url: string; authorization: string }[];
  /** POSTs a Job to it as any client would (trusting its CA): for showing what it refuses. */
  postJob(namespace: string, body: unknown, token: string): Promise<{ status: number; body: { message?: string } }>;
  /** A kubeconfig file naming this server and `token`. */
  kubeconfig(token: string, namespace?: string): string;
  stop(): Promise<void>;
}

function status(code: number, reason: string, message: string): object {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeKubernetesApi(options: { token: string; namespaces: string[] }): Promise<FakeKubernetesApi> {
  const validators: DeployValidators = await deployValidators();
  const certs = await createTestCertificates();
  const dir = mkdtempSync(path.join(tmpdir(), "snaptrail-fake-k8s-"));
  const jobs: Record<string, unknown>[] = [];
  const requests: FakeKubernetesApi["requests"] = [];
  let n = 0;

  async function invalid(body: unknown): Promise<string | undefined> {
    try {
      new Job(body as ConstructorParameters<typeof Job>[0]).validate();
    } catch (err) {
      return `kubernetes-models: ${(err as Error).message}`;
    }
    const file = path.join(dir, `job-${n++}.yaml`);
    // The API server names a generateName object before it validates it; kubernetes-validate needs a name.
    const meta = (body as { metadata?: { name?: string; generateName?: string } }).metadata ?? {};
    writeFileSync(file, JSON.stringify({ ...(body as object), metadata: { ...meta, name: meta.name ?? `${meta.generateName ?? ""}xxxxx` } }));
    const strict = await validators.kubernetes([file], "1.30");
    return strict.code === 0 ? undefined : `kubernetes-validate --strict: ${strict.output.trim()}`;
  }

  const server: Server = createServer({ key: certs.serverKeyPem, cert: certs.serverCertPem }, (req, res) => {
    void (async () => {
      const authorization = req.headers.authorization ?? "";
      requests.push({ method: req.method ?? "", url: req.url ?? "", authorization });
      const answer = (code: number, body: object) => {
        res.writeHead(code, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const raw = await readBody(req);
      if (authorization !== `Bearer ${options.token}`) return answer(401, status(401, "Unauthorized", "Unauthorized"));
      const m = /^\/apis\/batch\/v1\/namespaces\/([^/?]+)\/jobs(\?.*)?$/.exec(req.url ?? "");
      if (req.method !== "POST" || !m) return answer(404, status(404, "NotFound", "the server could not find the requested resource"));
      const namespace = decodeURIComponent(m[1] ?? "");
      if (!options.namespaces.includes(namespace)) return answer(404, status(404, "NotFound", `namespaces "${namespace}" not found`));
      let body: { metadata?: { name?: string; generateName?: string; namespace?: string } };
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        return answer(400, status(400, "BadRequest", "the body is not JSON"));
      }
      const why = await invalid(body);
      if (why !== undefined) return answer(422, status(422, "Invalid", `Job.batch is invalid: ${why}`));
      if (body.metadata?.namespace !== undefined && body.metadata.namespace !== namespace) {
        return answer(400, status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request"));
      }
      const name = body.metadata?.name ?? `${body.metadata?.generateName ?? ""}${randomBytes(3).toString("hex").slice(0, 5)}`;
      const created = { ...body, metadata: { ...body.metadata, name, namespace, uid: randomUUID(), resourceVersion: String(1000 + jobs.length), creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z") }, status: {} };
      new Job(created).validate();
      jobs.push(created);
      answer(201, created);
    })().catch((err: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify(status(500, "InternalError", `fake server bug: ${(err as Error).message}`)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    jobs,
    requests,
    async postJob(namespace, body, token) {
      const { request } = await import("node:https");
      return new Promise((resolve, reject) => {
        const req = request(`${url}/apis/batch/v1/namespaces/${namespace}/jobs`, { method: "POST", ca: certs.caPem, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }, (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (d: string) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { message?: string } }));
        });
        req.on("error", reject);
        req.end(JSON.stringify(body));
      });
    },
    kubeconfig(token, namespace) {
      const file = path.join(dir, `kubeconfig-${n++}`);
      const context = { cluster: "fake", user: "tester", ...(namespace !== undefined ? { namespace } : {}) };
      writeFileSync(
        file,
        JSON.stringify({
          apiVersion: "v1",
          kind: "Config",
          clusters: [{ name: "fake", cluster: { server: url, "certificate-authority-data": Buffer.from(certs.caPem).toString("base64") } }],
          users: [{ name: "tester", user: { token } }],
          contexts: [{ name: "fake", context }],
          "current-context": "fake",
        }),
      );
      return file;
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
