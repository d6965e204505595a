import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, rename, unlink } from "node:fs/promises";
import path from "node:path";
import type { CacheHit } from "../../core/api-types.js";
import { sha256Digest } from "../../core/digest.js";
import { DigestMismatchError, MismatchError } from "../../core/errors.js";

export interface BlobSource {
  getBlob(digest: string): Promise<Buffer>;
}

/**
 * Writes a cache hit's outputs where this run declared its own: every blob is downloaded and
 * checked against its digest and size into a temporary file beside its target first, and only
 * when all are good are they renamed into place (each rename atomic, modes kept). A failure
 * leaves the targets as they were and throws: the caller then runs the command.
 */
export async function restoreOutputs(hit: CacheHit, cwd: string, declared: readonly string[], blobs: BlobSource): Promise<void> {
  const roots = declared.map((d) => path.resolve(cwd, d));
  const staged: { tmp: string; target: string }[] = [];
  try {
    for (const output of hit.outputs) {
      const target = path.resolve(cwd, output.path);
      // The paths come from the collector: write only where this run declared outputs.
      if (!roots.some((r) => target === r || target.startsWith(`${r}${path.sep}`))) {
        throw new MismatchError(`cached output ${output.path} is not under a declared --output`);
      }
      const bytes = await blobs.getBlob(output.digest);
      const actual = sha256Digest(bytes);
      if (actual !== output.digest || bytes.length !== Number(output.size)) {
        throw new DigestMismatchError(`cached output ${output.path}: the blob is ${actual} (${bytes.length} bytes), not ${output.digest} (${output.size} bytes)`, {
          expected: output.digest,
          actual,
        });
      }
      await mkdir(path.dirname(target), { recursive: true });
      const tmp = path.join(path.dirname(target), `.${path.basename(target)}.snaptrail-${randomBytes(6).toString("hex")}`);
      const mode = output.mode || 0o644;
      const file = await open(tmp, "wx", mode);
      staged.push({ tmp, target });
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await chmod(tmp, mode); // the umask narrowed open's mode
    }
    for (const s of staged.splice(0)) await rename(s.tmp, s.target);
  } finally {
    await Promise.all(staged.map((s) => unlink(s.tmp).catch(() => undefined)));
  }
}
