import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { FingerprintCache, takeStamps } from "../capture/fingerprint-cache.js";
import { errorMessage } from "../../core/errors.js";

export type SifDigest = { ok: true; digest: string } | { ok: false; error: string };

/**
 * "sha256:…" of an Apptainer / Singularity image file. A SIF is often gigabytes, so the digest is
 * kept in the fingerprint cache under the file's path and reused while its inode, size, mtime
 * and ctime stay the same. A sandbox folder or a file that cannot be read gives the reason.
 */
export async function sifDigest(file: string, cacheDir = ""): Promise<SifDigest> {
  let size: number;
  try {
    const st = await stat(file);
    if (st.isDirectory()) return { ok: false, error: `${file} is a sandbox folder, not an image file` };
    if (!st.isFile()) return { ok: false, error: `${file} is not a regular file` };
    size = st.size;
  } catch (err) {
    return { ok: false, error: `${file} cannot be read here (${errorMessage(err)})` };
  }
  const cache = new FingerprintCache(cacheDir);
  const key = createHash("sha256").update(`sif\0${file}`).digest("hex");
  const cached = cache.get<string>(key);
  if (cached !== null) return { ok: true, digest: cached };
  const stamps = takeStamps([file]);
  const hash = createHash("sha256");
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
      stream.on("data", (chunk) => hash.update(chunk));
      stream.on("end", resolve);
      stream.on("error", reject);
    });
  } catch (err) {
    return { ok: false, error: `${file} cannot be read here (${errorMessage(err)})` };
  }
  const digest = `sha256:${hash.digest("hex")}`;
  if (size > 0) cache.set(key, stamps, digest);
  return { ok: true, digest };
}
