import { readFile } from "node:fs/promises";
import type { CaptureWarning, ContainerImage } from "../../core/model.js";
import { kubernetesImage, type KubernetesImageOptions } from "./kubernetes-image.js";
import { sifDigest } from "./sif-digest.js";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Fields of Podman's /run/.containerenv (`key="value"` lines). */
export function parseContainerEnv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = (m[2] ?? "").trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    values.set(m[1] ?? "", v);
  }
  return values;
}

/** The digest pinned in a reference such as "ghcr.io/acme/train@sha256:…", or "". */
function digestInReference(reference: string): string {
  const at = reference.lastIndexOf("@");
  const d = at === -1 ? "" : reference.slice(at + 1);
  return DIGEST.test(d) ? d : "";
}

export interface DetectImageOptions extends KubernetesImageOptions {
  containerEnvFile?: string;
  /** Fingerprint cache folder for SIF digests; "" hashes the file every time. */
  cacheDir?: string;
}

export interface DetectedImage {
  image: ContainerImage | null;
  /** Says why the digest is empty whenever the job is in a container whose digest is not known. */
  warnings: CaptureWarning[];
}

function unknown(image: ContainerImage, why: string): DetectedImage {
  return { image, warnings: [{ source: "image", message: `image digest unknown: ${why}` }] };
}

/**
 * The container image the job runs in, from what the runtime or the launcher says, never
 * guessed, in this order:
 *
 * - SNAPTRAIL_IMAGE / SNAPTRAIL_IMAGE_DIGEST, set by a launcher or a deployment that knows
 *   (source "env"; SNAPTRAIL_IMAGE_RUNTIME names the runtime). A reference pinned with
 *   "@sha256:…" gives the digest too.
 * - Kubernetes (KUBERNETES_SERVICE_HOST): the pod's own status through the API server (source
 *   "kubernetes", see kubernetesImage).
 * - Podman's /run/.containerenv: image= and imageid= (source "containerenv").
 * - Apptainer / Singularity (APPTAINER_CONTAINER / SINGULARITY_CONTAINER): the image file and
 *   its sha256 (source "apptainer").
 *
 * null outside a container it can tell. Inside one, an empty digest always comes with a warning
 * saying why it cannot be known.
 */
export async function detectImage(env: NodeJS.ProcessEnv, opts: DetectImageOptions = {}): Promise<DetectedImage> {
  const reference = env.SNAPTRAIL_IMAGE ?? "";
  const digest = env.SNAPTRAIL_IMAGE_DIGEST ?? "";
  if (reference !== "" || digest !== "") {
    const image = { reference, digest: DIGEST.test(digest) ? digest : digestInReference(reference), source: "env", runtime: env.SNAPTRAIL_IMAGE_RUNTIME ?? "" };
    if (image.digest !== "") return { image, warnings: [] };
    const why = digest !== "" ? `SNAPTRAIL_IMAGE_DIGEST ${JSON.stringify(digest)} is not sha256:<64 hex>` : "SNAPTRAIL_IMAGE has no @sha256: digest and SNAPTRAIL_IMAGE_DIGEST is not set";
    return unknown(image, why);
  }
  if ((env.KUBERNETES_SERVICE_HOST ?? "") !== "") {
    const k = await kubernetesImage(env, opts);
    return { image: k.image, warnings: k.warning === null ? [] : [{ source: "image", message: k.warning }] };
  }
  let text: string | null = null;
  try {
    text = await readFile(opts.containerEnvFile ?? "/run/.containerenv", "utf8");
  } catch {
    text = null;
  }
  if (text !== null) {
    const fields = parseContainerEnv(text);
    const image = fields.get("image") ?? "";
    const imageId = fields.get("imageid") ?? "";
    const id = imageId.startsWith("sha256:") ? imageId : `sha256:${imageId}`;
    const found = { reference: image, digest: DIGEST.test(id) ? id : digestInReference(image), source: "containerenv", runtime: "podman" };
    if (found.digest !== "") return { image: found, warnings: [] };
    return unknown(found, "/run/.containerenv has no imageid (Podman fills it in for --privileged containers only)");
  }
  const sif = env.APPTAINER_CONTAINER || env.SINGULARITY_CONTAINER || "";
  if (sif !== "") {
    const runtime = env.APPTAINER_CONTAINER ? "apptainer" : "singularity";
    const d = await sifDigest(sif, opts.cacheDir ?? "");
    const image = { reference: sif, digest: d.ok ? d.digest : "", source: "apptainer", runtime };
    return d.ok ? { image, warnings: [] } : unknown(image, d.error);
  }
  return { image: null, warnings: [] };
}

/** detectImage without its warnings. */
export async function detectContainerImage(env: NodeJS.ProcessEnv, containerEnvFile = "/run/.containerenv"): Promise<ContainerImage | null> {
  return (await detectImage(env, { containerEnvFile })).image;
}
