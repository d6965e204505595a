import { readFile } from "node:fs/promises";
import type { ContainerImage } from "../../core/model.js";

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

/**
 * The container image the job runs in, from what the runtime or the launcher says, never
 * guessed: SNAPTRAIL_IMAGE / SNAPTRAIL_IMAGE_DIGEST (set by a launcher that knows, source "env");
 * Podman's /run/.containerenv (image= and imageid=, source "containerenv"); Apptainer's
 * APPTAINER_CONTAINER / SINGULARITY_CONTAINER (the image file, no digest). null outside a
 * container it can tell.
 */
export async function detectContainerImage(env: NodeJS.ProcessEnv, containerEnvFile = "/run/.containerenv"): Promise<ContainerImage | null> {
  const reference = env.SNAPTRAIL_IMAGE ?? "";
  const digest = env.SNAPTRAIL_IMAGE_DIGEST ?? "";
  if (reference !== "" || digest !== "") {
    return {
      reference,
      digest: DIGEST.test(digest) ? digest : digestInReference(reference),
      source: "env",
      runtime: env.SNAPTRAIL_IMAGE_RUNTIME ?? "",
    };
  }
  let text: string | null = null;
  try {
    text = await readFile(containerEnvFile, "utf8");
  } catch {
    text = null;
  }
  if (text !== null) {
    const fields = parseContainerEnv(text);
    const image = fields.get("image") ?? "";
    const imageId = fields.get("imageid") ?? "";
    const id = imageId.startsWith("sha256:") ? imageId : `sha256:${imageId}`;
    return { reference: image, digest: DIGEST.test(id) ? id : digestInReference(image), source: "containerenv", runtime: "podman" };
  }
  const sif = env.APPTAINER_CONTAINER ?? env.SINGULARITY_CONTAINER ?? "";
  if (sif !== "") return { reference: sif, digest: "", source: "apptainer", runtime: "apptainer" };
  return null;
}
