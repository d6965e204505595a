import { readFile } from "node:fs/promises";
import type { ContainerImage } from "../../core/model.js";
import { errorMessage } from "../../core/errors.js";

/** Where Kubernetes mounts a pod's service account: token, ca.crt, namespace. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface KubernetesImageOptions {
  serviceAccountDir?: string;
  timeoutMs?: number;
}

export type KubernetesImage = { image: ContainerImage; warning: string | null };

interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
}

/**
 * The sha256 digest in a container status' imageID: "docker-pullable://repo@sha256:…",
 * "repo@sha256:…" (containerd, CRI-O), or a bare "sha256:…" image id. "" when there is none.
 */
export function digestFromImageId(imageId: string): string {
  const at = imageId.lastIndexOf("@");
  const candidate = at === -1 ? imageId.replace(/^[a-z-]+:\/\//, "") : imageId.slice(at + 1);
  return DIGEST.test(candidate) ? candidate : "";
}

function statuses(pod: unknown): ContainerStatus[] {
  const status = (pod as { status?: { containerStatuses?: unknown } } | null)?.status;
  const list = Array.isArray(status?.containerStatuses) ? (status.containerStatuses as unknown[]) : [];
  return list.flatMap((item) => {
    if (typeof item !== "object" || item === null) return [];
    const r = item as Record<string, unknown>;
    const s = (v: unknown) => (typeof v === "string" ? v : "");
    return [{ name: s(r.name), image: s(r.image), imageID: s(r.imageID) }];
  });
}

/**
 * Which of the pod's containers is this one: the one named by SNAPTRAIL_CONTAINER_NAME (or
 * CONTAINER_NAME), else the only one, else Kubeflow's and Argo's "main". A pod's containers all
 * share its hostname, so nothing else tells them apart from the inside.
 */
export function pickContainer(list: ContainerStatus[], env: NodeJS.ProcessEnv): ContainerStatus | string {
  const wanted = env.SNAPTRAIL_CONTAINER_NAME || env.CONTAINER_NAME || "";
  if (wanted !== "") return list.find((c) => c.name === wanted) ?? `the pod has no container named ${wanted}`;
  if (list.length === 1 && list[0]) return list[0];
  const main = list.find((c) => c.name === "main");
  if (main) return main;
  if (list.length === 0) return "the pod status lists no containers";
  return `the pod has ${list.length} containers (${list.map((c) => c.name).join(", ")}); set SNAPTRAIL_CONTAINER_NAME to say which runs the job`;
}

/** The image reference and digest a container status gives, with why the digest is missing. */
export function imageFromPod(pod: unknown, env: NodeJS.ProcessEnv): KubernetesImage {
  const picked = pickContainer(statuses(pod), env);
  if (typeof picked === "string") return { image: unknownImage(""), warning: `image digest unknown: ${picked}` };
  const digest = digestFromImageId(picked.imageID) || digestFromImageId(picked.image);
  const image = { reference: picked.image, digest, source: "kubernetes", runtime: "kubernetes" };
  if (digest !== "") return { image, warning: null };
  return { image, warning: `image digest unknown: container ${picked.name} has imageID ${JSON.stringify(picked.imageID)}, with no sha256 digest` };
}

function unknownImage(reference: string): ContainerImage {
  return { reference, digest: "", source: "kubernetes", runtime: "kubernetes" };
}

function hostForUrl(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/**
 * Inside a Kubernetes pod (KUBERNETES_SERVICE_HOST set), asks the API server for the pod's own
 * object, GET /api/v1/namespaces/{POD_NAMESPACE}/pods/{POD_NAME}, over HTTPS verified with the
 * cluster CA and authorised by the service account token, and reads the image digest from
 * status.containerStatuses[].imageID. POD_NAME and POD_NAMESPACE come from the downward API
 * (see deploy/); without them the hostname (a pod's name by default) and the service account's
 * namespace file stand in. The service account needs `get` on `pods` in its namespace. Any
 * failure leaves the digest empty and says why: a digest is never guessed.
 */
export async function kubernetesImage(env: NodeJS.ProcessEnv, opts: KubernetesImageOptions = {}): Promise<KubernetesImage> {
  const dir = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST ?? "";
  const port = env.KUBERNETES_SERVICE_PORT || "443";
  const read = (f: string) => readFile(`${dir}/${f}`, "utf8").then((t): string | null => t.trim(), () => null);
  const [token, ca, nsFile] = await Promise.all([read("token"), read("ca.crt"), read("namespace")]);
  const namespace = env.POD_NAMESPACE || nsFile || "";
  const podName = env.POD_NAME || env.HOSTNAME || "";
  const missing = [
    token === null ? `${dir}/token` : "",
    ca === null ? `${dir}/ca.crt` : "",
    namespace === "" ? "POD_NAMESPACE" : "",
    podName === "" ? "POD_NAME" : "",
  ].filter((m) => m !== "");
  if (missing.length > 0 || token === null || ca === null) {
    return { image: unknownImage(""), warning: `image digest unknown: in Kubernetes but without ${missing.join(", ")}` };
  }
  const url = `https://${hostForUrl(host)}:${port}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(podName)}`;
  const got = await getJson(url, token, ca, opts.timeoutMs ?? 2_000);
  if (!got.ok) return { image: unknownImage(""), warning: `image digest unknown: GET ${url}: ${got.error}` };
  return imageFromPod(got.body, env);
}

async function getJson(url: string, token: string, ca: string, timeoutMs: number): Promise<{ ok: true; body: unknown } | { ok: false; error: string }> {
  // Loaded here: only pods need it.
  const https = await import("node:https");
  return new Promise((resolve) => {
    const req = https.get(url, { ca, headers: { Authorization: `Bearer ${token}`, Accept: "application/json" }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > 4 * 1024 * 1024) {
          req.destroy(new Error("the pod object is larger than 4 MiB"));
          return;
        }
        chunks.push(c);
      });
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode !== 200) {
          const hint = res.statusCode === 403 ? " (the service account needs get on pods)" : "";
          resolve({ ok: false, error: `HTTP ${res.statusCode ?? 0}${hint}` });
          return;
        }
        try {
          resolve({ ok: true, body: JSON.parse(text) as unknown });
        } catch (err) {
          resolve({ ok: false, error: `not JSON (${errorMessage(err)})` });
        }
      });
      res.on("error", (err) => resolve({ ok: false, error: errorMessage(err) }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (err) => resolve({ ok: false, error: errorMessage(err) }));
  });
}
